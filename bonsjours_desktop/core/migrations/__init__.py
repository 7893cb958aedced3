"""Alembic migrations of the Bons Jours schema."""

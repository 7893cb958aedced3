"""Qt-free core of Bons Jours: data model, services, operations, import/export and documents."""

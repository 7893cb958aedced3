"""Word documents from docxtpl templates: contexts, sandboxed rendering, checks, PDF."""

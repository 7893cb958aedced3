"""Import and export of core data (CSV, XLSX, GeoJSON, iCalendar, vCard)."""

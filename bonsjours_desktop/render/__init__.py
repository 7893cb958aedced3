"""Qt drawing shared by the command line and the UI (charts, maps, Gantt print); imports core only, never ui."""

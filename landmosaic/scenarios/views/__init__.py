"""Pages of the scenarios app: sets (maps, legend, tables), scenarios (interventions), runs, results."""

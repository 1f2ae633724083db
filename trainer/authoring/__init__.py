"""Tools for enablement authors: scaffolding, scenario tests, calibration, previews."""

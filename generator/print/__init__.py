"""Printed output: layout geometry, the diagram, text metrics, the official sheet, the checklist, PDF."""

"""Office files: fillable Excel workbooks."""

"""The model every stage reads: frozen SOP and document types, flow rules, durations, dates, problems."""

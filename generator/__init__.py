"""SOP portal generator: structured SOP sources in, a documentation portal out."""

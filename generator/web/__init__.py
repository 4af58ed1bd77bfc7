"""The web pages of the portal: SOP pages, view pages and the catalogue JSON."""

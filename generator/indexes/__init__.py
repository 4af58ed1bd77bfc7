"""Indexes across SOPs: roles, legal bases, document paths, families, links and the lifecycle."""

"""Trainers' catalogues: composing, sharing, reading and exporting them."""

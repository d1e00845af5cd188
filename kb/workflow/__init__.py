"""The doctrine validation workflow and the labels: dossiers, decisions, history."""

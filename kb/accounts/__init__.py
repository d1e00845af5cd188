"""Accounts: users, roles, passwords, and the reader each one stands for."""

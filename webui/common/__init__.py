"""What every blueprint shares: request context, forms, filters, errors, panels."""

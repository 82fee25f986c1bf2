"""What every app's API router shares: structured errors and bounded input types."""

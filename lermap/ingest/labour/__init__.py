"""Labour-market statistics: BLS OEWS employment and wages by SOC occupation."""

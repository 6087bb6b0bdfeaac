"""The target platform's roster API: client and Dagster resource."""

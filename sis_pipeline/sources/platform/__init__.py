"""The target platform's roster API (target-platform-api.md): its client and its settings."""

"""Tests of the admin pages: teams and settings."""

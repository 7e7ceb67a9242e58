"""A small package whose coverage bktec's tests measure: six modules, one of them never imported."""
VERSION = "1.0"

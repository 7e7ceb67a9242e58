def not_imported_by_any_test():
    return 42

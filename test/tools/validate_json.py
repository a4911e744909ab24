#!/usr/bin/env python3
"""Validates JSON documents against a JSON Schema (draft-07) with python3-jsonschema.

Usage: validate_json.py SCHEMA FILE...   Exit 0 when every file is valid; 1 with each error
(file, JSON path, message) on stderr otherwise; 3 when jsonschema is not installed.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(3)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in sys.argv[2:]:
        doc = json.load(open(path, encoding="utf-8"))
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            bad += 1
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: /{where}: {err.message}", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

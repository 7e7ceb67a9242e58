"""Combines the coverage data of every test process of a bktec run, and writes the reports the user asked for, once.

bktec runs it at the end of a run, with the Python that ran pytest and in pytest's directory:

  python .../bktec_pytest/coverage_combine.py REQUEST RESULT

REQUEST (JSON): {"setup": a test process's "coverage" event (coverage_parts.py), "data_files": [every process's data
file], "run_failed": whether the run failed}. The data goes where the user's configuration puts it (COVERAGE_FILE,
[run] data_file, or .coverage), replacing what was there unless --cov-append was given; the reports pytest-cov was
asked for are written as pytest-cov writes them, and the terminal report is printed on standard output. RESULT
(JSON): {"data_file", "total", "under": whether the total misses fail_under, "fail_under", "processes"} or
{"error": one line}.

Run as a script, never imported by pytest; it imports the user's coverage, which pytest-cov (or coverage run) brought:
the one module of the package outside the standard library. PYTEST_DONT_REWRITE.
"""
import io
import json
import os
import sys


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _null():
    return io.StringIO()


def _coverage(setup):
    import coverage

    options = {"config_file": setup.get("config_file", True)}
    if setup.get("measured_by") == "pytest-cov":
        options.update(source=setup.get("source"), branch=setup.get("branch"))
    return coverage.Coverage(**options)


def combine(setup, data_files):
    """The run's data in the user's data file: every process's files combined (and removed)."""
    cov = _coverage(setup)
    if setup.get("append"):
        cov.load()
    else:
        cov.erase()
    cov.combine(data_paths=[path for path in data_files if os.path.exists(path)])
    cov.save()
    if _forget_the_plugin(cov.config.data_file):
        cov = _coverage(setup)
        cov.load()
    if setup.get("measured_by") == "coverage" and cov.config.parallel:
        _parallel_copy(cov)
    return cov


def _forget_the_plugin(data_file):
    """bktec's plugin ran in every process, from the run's temporary directory, which is gone after the run: measured
    without a source to keep to (coverage run, or --cov without a package), it would make every later report fail for
    want of its source. Its files leave the data file (SQLite since coverage 5; left as they are should that fail).
    Returns whether any did."""
    import sqlite3

    try:
        with sqlite3.connect(data_file) as db:
            ids = [row[0] for row in db.execute("select id from file where path like ?", (_PACKAGE + os.sep + "%",))]
            marks = ",".join("?" * len(ids))
            for table in ("line_bits", "arc", "tracer"):
                if ids and db.execute("select 1 from sqlite_master where name = ?", (table,)).fetchone():
                    db.execute("delete from %s where file_id in (%s)" % (table, marks), ids)
            if ids:
                db.execute("delete from file where id in (%s)" % marks, ids)
        return bool(ids)
    except sqlite3.Error:
        return False


def _parallel_copy(cov):
    """With parallel = true the user combines the data files later (`coverage combine`): one is left for that, holding
    the whole run, beside the combined file `coverage report` reads at once."""
    from coverage import CoverageData

    copy = CoverageData(basename=cov.config.data_file, suffix=True)
    copy.update(cov.get_data())
    copy.write()


def _terminal(cov, reports, precision, out):
    kinds = [kind for kind in ("term", "term-missing") if kind in reports]
    if not kinds:
        return
    cov.report(show_missing="term-missing" in reports or None, ignore_errors=True, file=out, precision=precision,
               skip_covered="skip-covered" in reports.values() or None)


# pytest-cov's report types written to one file: the Coverage method, the configuration's file, the name it prints.
_FILE_REPORTS = (("xml", "xml_report", "xml_output", "XML"), ("json", "json_report", "json_output", "JSON"),
                 ("lcov", "lcov_report", "lcov_output", "LCOV"))


def _files(cov, reports, out):
    """The file reports, each where it was asked for (or where the configuration says), as pytest-cov writes them."""
    config = cov.config
    if "annotate" in reports:
        cov.annotate(ignore_errors=True, directory=reports["annotate"])
        out.write("Coverage annotated source written %s\n" % (
            "to dir %s" % reports["annotate"] if reports["annotate"] else "next to source"))
    if "html" in reports:
        cov.html_report(ignore_errors=True, directory=reports["html"])
        out.write("Coverage HTML written to dir %s\n" % (reports["html"] or config.html_dir))
    for kind, write, default, name in _FILE_REPORTS:
        if kind in reports:
            getattr(cov, write)(ignore_errors=True, outfile=reports[kind])
            out.write("Coverage %s written to file %s\n" % (name, reports[kind] or getattr(config, default)))
    for kind, mode in (("markdown", "w"), ("markdown-append", "a")):
        if kind in reports:
            with open(reports[kind] or "coverage.md", mode) as markdown:
                cov.report(ignore_errors=True, file=markdown, output_format="markdown")
            out.write("Coverage Markdown information %s to file %s\n" % (
                "written" if mode == "w" else "appended", reports[kind] or "coverage.md"))


def misses(total, fail_under, precision):
    """Whether the total misses fail_under, as coverage judges it (100 must be 100 exactly)."""
    if fail_under == 100.0 and total != 100.0:
        return True
    return round(total, precision) < fail_under


def report(cov, setup, run_failed, out):
    """The reports pytest-cov was asked for, and the verdict on fail_under; returns the result's fields."""
    reports = setup.get("reports") or {}
    precision = setup.get("precision") or 0
    fail_under = setup.get("fail_under")
    total = cov.report(ignore_errors=True, file=_null(), precision=precision)
    result = {"total": total, "fail_under": fail_under, "under": False}
    if not (run_failed and setup.get("no_cov_on_fail")):
        _terminal(cov, reports, precision, out)
        _files(cov, reports, out)
    if fail_under:
        result["under"] = misses(total, float(fail_under), precision)
        out.write("%sRequired test coverage of %s%% %s. Total coverage: %.2f%%\n" % (
            "FAIL " if result["under"] else "", fail_under, "not reached" if result["under"] else "reached", total))
    return result


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        request = json.load(f)
    setup = request["setup"]
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != _PACKAGE]  # the package's own modules
    try:
        cov = combine(setup, request["data_files"])
        result = {"data_file": os.path.abspath(cov.config.data_file), "processes": len(request["data_files"])}
        if setup.get("measured_by") == "pytest-cov":
            result.update(report(cov, setup, request.get("run_failed"), sys.stdout))
    except ImportError as error:
        result = {"error": "coverage cannot be imported in %s (%s)" % (sys.executable, error)}
    except Exception as error:  # coverage's own errors (no data, a bad configuration) and I/O: one line for bktec
        result = {"error": "%s: %s" % (type(error).__name__, " ".join(str(error).split()))}
    sys.stdout.flush()
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

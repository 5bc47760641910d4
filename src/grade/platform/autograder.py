#!/usr/bin/env python3
"""Classroom 50 autograder for the linear-regression workbook.

Written by `cargo workbook autograder classroom50`; put this folder at
CLASSROOM/autograders/ASSIGNMENT/ in your classroom50 repository. Classroom
50's runner runs it in the student's checkout with CLASSROOM, ASSIGNMENT,
SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, REVIEW_URL and USERNAME set. It
unpacks the pinned course (course.tar.gz, beside this file), grades the
student's exercises/exercise-NN/src with the course's own grader and its
pristine tests, and writes ./result.json (schema classroom50/result/v1) and
./release-body.md (the learner's feedback). Exit 0: graded (pass or fail is
in result.json); anything else is an infrastructure error.
"""

import datetime
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
# Grading settings chosen when the autograder was written.
ARGS = @PYTHON_ARGS@


def commit_date(checkout):
    """The graded commit's committer date (the submission instant), UTC."""
    try:
        out = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", str(checkout), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout.strip()
        when = datetime.datetime.fromtimestamp(int(out), datetime.timezone.utc)
    except (OSError, ValueError, subprocess.SubprocessError):
        when = datetime.datetime.now(datetime.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def unpack_course():
    base = pathlib.Path(os.environ.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="workbook-"))
    course = base / "workbook-course"
    if not (course / "course.toml").is_file():
        shutil.rmtree(course, ignore_errors=True)
        course.mkdir(parents=True)
        with tarfile.open(HERE / "course.tar.gz") as archive:
            try:
                archive.extractall(course, filter="data")
            except TypeError:  # Python before 3.12 without the backport
                archive.extractall(course)
    return course


def allow_sandbox():
    """Ubuntu 24.04 keeps unprivileged programs from making user namespaces,
    which bubblewrap needs; on a throwaway GitHub runner with password-less
    sudo, allow them. Best effort: without them the grade says it ran
    without the sandbox."""
    probe = ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"]
    try:
        if subprocess.run(probe, capture_output=True, timeout=60).returncode == 0:
            return
        subprocess.run(
            ["sudo", "-n", "sysctl", "-w", "kernel.apparmor_restrict_unprivileged_userns=0"],
            capture_output=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        pass


def main():
    checkout = pathlib.Path.cwd()
    course = unpack_course()
    allow_sandbox()
    workbook = os.environ.get("WORKBOOK_BIN")
    # The full tool (default features), not the learner's quick alias.
    command = [workbook] if workbook else ["cargo", "run", "--quiet", "--package", "workbook", "--bin", "workbook", "--"]
    command += [
        "autograder", "run", "classroom50",
        "--submission", str(checkout),
        "--result", str(checkout / "result.json"),
        "--release-body", str(checkout / "release-body.md"),
        "--datetime", commit_date(checkout),
        *ARGS,
    ]
    # The reference solutions' results, graded when this autograder was written.
    if (HERE / "reference").is_dir():
        command += ["--reference", str(HERE / "reference")]
    print("Grading with:", " ".join(command), flush=True)
    return subprocess.run(command, cwd=course).returncode


if __name__ == "__main__":
    sys.exit(main())

"""``ubit problem check``: a problem's reference passes every test and its starter doesn't."""

from __future__ import annotations

from dataclasses import dataclass

from ubit.testing.problems import Problem
from ubit.testing.runner import TestResult, run_tests


@dataclass
class ProblemCheck:
    """What the tests said of a problem's reference solution and of its starter."""

    problem: Problem
    reference: list[TestResult]
    starter: list[TestResult]

    @property
    def failed_by_reference(self) -> list[TestResult]:
        """The tests the reference solution fails (there should be none)."""
        return [r for r in self.reference if not r.passed]

    @property
    def starter_passes_all(self) -> bool:
        """Whether the starter already passes every test (a problem with nothing to do)."""
        return all(r.passed for r in self.starter)

    @property
    def ok(self) -> bool:
        """The reference passes every test and the starter doesn't."""
        return not self.failed_by_reference and not self.starter_passes_all

    def line(self) -> str:
        """One line: ``ok name: …`` or ``FAIL name: what is wrong``."""
        p = self.problem
        count = len(self.reference)
        if self.ok:
            starter_marks = sum(r.marks for r in self.starter)
            failing = sum(not r.passed for r in self.starter)
            return (f"ok    {p.name}: the reference passes {count}/{count} tests; the starter "
                    f"fails {failing} (gets {starter_marks:g}/{p.total:g} marks)")
        problems = []
        if self.failed_by_reference:
            names = ", ".join(r.name for r in self.failed_by_reference)
            problems.append(f"the reference solution fails {names}")
        if self.starter_passes_all:
            problems.append("the starter passes every test (there is nothing to do)")
        return f"FAIL  {p.name}: {'; '.join(problems)}"

    def details(self) -> str:
        """Why the reference failed, test by test (the feedback a pupil would read)."""
        parts = []
        for result in self.failed_by_reference:
            body = "\n".join("    " + line for line in result.feedback.splitlines())
            parts.append(f"  {result.name} (reference):\n{body}")
        return "\n".join(parts)


def check_problem(problem: Problem) -> ProblemCheck:
    """Run every test on the reference solution and on the starter."""
    return ProblemCheck(problem, run_tests(problem, problem.solution),
                        run_tests(problem, problem.starter))

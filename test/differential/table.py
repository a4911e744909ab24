"""The differential suite's tally: per (tool, field) how many values matched and which did not.

A field that was never compared on a root shows "none in root"; the suite fails on any
mismatch and on any such field unless the caller names it as absent from that root's data."""

import collections


class Tally:
    def __init__(self):
        self.counts = collections.OrderedDict()  # (tool, field) -> [matched, compared]
        self.mismatches = []  # (tool, field, subject, ours, theirs)

    def declare(self, tool, fields):
        """Registers the fields a comparer covers, so that one never compared shows as skipped."""
        for f in fields:
            self.counts.setdefault((tool, f), [0, 0])

    def check(self, tool, field, subject, ours, theirs):
        c = self.counts.setdefault((tool, field), [0, 0])
        c[1] += 1
        if ours == theirs:
            c[0] += 1
        else:
            self.mismatches.append((tool, field, subject, ours, theirs))

    def skipped(self):
        return [k for k, (_, n) in self.counts.items() if n == 0]

    def render(self, out, max_shown=40):
        width = max([len(f) for _, f in self.counts] + [5])
        out.write("%-8s %-*s %9s %9s  %s\n"
                  % ("tool", width, "field", "compared", "matched", "result"))
        for (tool, field), (ok, n) in self.counts.items():
            result = "none in root" if n == 0 else ("ok" if ok == n else "MISMATCH")
            out.write("%-8s %-*s %9d %9d  %s\n" % (tool, width, field, n, ok, result))
        for tool, field, subject, ours, theirs in self.mismatches[:max_shown]:
            if isinstance(ours, list) and isinstance(theirs, list) and len(ours) + len(theirs) > 8:
                # Long lists: only what one side has and the other lacks.
                ours, theirs = ([x for x in ours if x not in theirs],
                                [x for x in theirs if x not in ours])
                field += " (differences only)"
            out.write("MISMATCH %s %s %s\n  premigrate: %r\n  %s: %r\n"
                      % (tool, field, subject, ours, tool, theirs))
        if len(self.mismatches) > max_shown:
            out.write("... and %d more mismatches\n" % (len(self.mismatches) - max_shown))

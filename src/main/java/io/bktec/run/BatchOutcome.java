package io.bktec.run;

import io.bktec.process.ChildExit;

/** A finished batch: how its process ended and what its result file said. */
public record BatchOutcome(Batch batch, ChildExit exit, ResultsRead results) {
}

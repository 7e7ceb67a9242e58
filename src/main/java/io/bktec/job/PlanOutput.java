package io.bktec.job;

/** What `bktec plan` gives: exactly one of these. */
public sealed interface PlanOutput {
    /** One line of JSON with the plan's identifier and parallelism, for `buildkite-agent env set`. */
    record Json() implements PlanOutput {
    }

    /** The whole plan as JSON, to a file or to stdout ("-"). */
    record PlanFile(String path) implements PlanOutput {
    }

    /** `buildkite-agent pipeline upload TEMPLATE` with the plan's identifier and parallelism in its environment. */
    record PipelineUpload(String template) implements PlanOutput {
    }
}

package io.bktec.api;

import io.bktec.plan.LocalPlanner;
import io.bktec.plan.LocationPrefix;
import io.bktec.plan.PlanItem;
import io.bktec.plan.PlanSource;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * API mode: the cached plan if the server has one, otherwise a new one (after asking which files to expand into
 * single tests, so Test Engine can skip tests), and the local plan with a warning when the API cannot give one.
 * Errors that mean the user's setup is wrong (401, 403, 400) end the run instead.
 */
public final class ApiPlanSource implements PlanSource {
    /**
     * What the plan request needs from the configuration.
     *
     * @param tagFiltered a tag filter is set: the expander lists only the tests it chooses, and every file is
     *                    expanded (no filter_tests), as bktec does
     */
    public record Settings(String runner, String identifier, int jobRetryCount, int parallelism, int maxParallelism,
                           double targetTimeSeconds, String branch, LocationPrefix prefix, boolean junitScopes,
                           boolean tagFiltered, Map<String, Object> env) {
    }

    /**
     * A plan made for `bktec plan`, with the server's answer as it came (for --plan-out); no answer when the plan was
     * made locally because the API could not give one.
     */
    public record CreatedPlan(TestPlan plan, Optional<String> received) {
    }

    private final TestEngineClient client;
    private final Settings settings;
    private final ExampleExpander expander;
    private final Consumer<String> warnings;
    private final Consumer<String> debug;

    public ApiPlanSource(TestEngineClient client, Settings settings, ExampleExpander expander, Consumer<String> warnings,
                         Consumer<String> debug) {
        this.client = client;
        this.settings = settings;
        this.expander = expander;
        this.warnings = warnings;
        this.debug = debug;
    }

    @Override
    public String describe() {
        return "Test Engine suite is set: asking the Test Engine API for a plan (identifier " + settings.identifier() + ")";
    }

    @Override
    public Mono<TestPlan> plan(List<String> files) {
        return client.fetchPlan(settings.identifier(), settings.jobRetryCount())
                .flatMap(cached -> {
                    if (cached.isPresent() && cached.get().nodeCount() > 0) {
                        debug.accept("using the cached plan " + settings.identifier());
                        return Mono.just(confined(stripPrefix(cached.get())));
                    }
                    if (cached.isPresent()) {
                        throw new ApiException(ApiException.Kind.ERROR_PLAN, 200, "the cached plan has no tasks");
                    }
                    debug.accept("no cached plan for " + settings.identifier() + "; creating one");
                    return create(files).map(CreatedPlan::plan);
                })
                .onErrorResume(ApiException.class, e -> e.kind().fallsBack()
                        ? fallback(files, e, settings.parallelism())
                        : Mono.error(e));
    }

    /**
     * For runners that choose their own tests (pants): only the muted tests matter. The plan is asked for with no
     * tests, and a plan without tasks is fine. When the API cannot answer, nothing is muted (with a warning).
     */
    public Mono<Set<String>> mutedTestsOnly() {
        return client.fetchPlan(settings.identifier(), settings.jobRetryCount())
                .flatMap(cached -> cached.isPresent() ? Mono.just(cached.get())
                        : client.createPlan(new PlanRequest(settings.runner(), settings.identifier(), settings.parallelism(),
                        0, 0, settings.branch(), settings.prefix().value(), List.of(), List.of())))
                .map(TestPlan::mutedTests)
                .onErrorResume(ApiException.class, e -> {
                    if (!e.kind().fallsBack()) {
                        return Mono.error(e);
                    }
                    warnAbout(e);
                    warnings.accept("Continuing without Test Engine: no tests are muted.");
                    return Mono.just(Set.of());
                });
    }

    /**
     * For `bktec plan`: POST a new plan (never GET), falling back to a local plan over {@code fallbackParallelism}
     * nodes when the API cannot give one.
     */
    public Mono<CreatedPlan> createForPlanCommand(List<String> files, int fallbackParallelism) {
        return create(files)
                .onErrorResume(ApiException.class, e -> e.kind().fallsBack()
                        ? fallback(files, e, fallbackParallelism).map(plan -> new CreatedPlan(plan, Optional.empty()))
                        : Mono.error(e));
    }

    private Mono<CreatedPlan> create(List<String> files) {
        return request(files)
                .flatMap(client::createPlanAsReceived)
                .map(received -> {
                    if (received.plan().nodeCount() == 0) {
                        throw new ApiException(ApiException.Kind.ERROR_PLAN, 200, "the Test Engine returned a plan with no tasks");
                    }
                    return new CreatedPlan(confined(stripPrefix(received.plan())), Optional.of(received.body()));
                });
    }

    /**
     * The plan request: with a tag filter, every file expanded into the tests it chooses (only examples); otherwise
     * the files the server asks to split (filter_tests) as examples and the rest as selectors.
     */
    private Mono<PlanRequest> request(List<String> files) {
        if (settings.tagFiltered()) {
            return expander.expand(files).map(ids -> planRequest(List.of(), ids));
        }
        List<String> prefixed = files.stream().map(settings.prefix()::apply).toList();
        return client.filterTests(prefixed, settings.env())
                .flatMap(toExpand -> {
                    Set<String> expandSet = new LinkedHashSet<>(toExpand);
                    List<String> selectors = new ArrayList<>();
                    List<String> expandFiles = new ArrayList<>();
                    for (int i = 0; i < files.size(); i++) {
                        (expandSet.contains(prefixed.get(i)) ? expandFiles : selectors).add(files.get(i));
                    }
                    debug.accept("filter_tests: " + expandFiles.size() + " of " + files.size() + " files to expand");
                    Mono<List<String>> examples = expandFiles.isEmpty() ? Mono.just(List.of()) : expander.expand(expandFiles);
                    return examples.map(ids -> planRequest(selectors, ids));
                });
    }

    private PlanRequest planRequest(List<String> selectors, List<String> exampleIds) {
        return new PlanRequest(settings.runner(), settings.identifier(), settings.parallelism(),
                settings.maxParallelism(), settings.targetTimeSeconds(), settings.branch(), settings.prefix().value(),
                selectors, exampleIds.stream().map(this::example).toList());
    }

    private TestCase example(String nodeId) {
        int split = nodeId.lastIndexOf("::");
        String scope = split < 0 ? "" : nodeId.substring(0, split);
        String name = split < 0 ? nodeId : nodeId.substring(split + 2);
        if (settings.junitScopes()) {
            scope = junitScope(scope);
        }
        return new TestCase(settings.prefix().apply(nodeId), "example", nodeId, scope, name, "", 0);
    }

    /** bktec's JUnit form of a scope: ".py" dropped from the first segment, then "::" and "/" become dots. */
    static String junitScope(String scope) {
        int end = scope.indexOf("::");
        String file = end < 0 ? scope : scope.substring(0, end);
        String rest = end < 0 ? "" : scope.substring(end);
        if (file.endsWith(".py")) {
            file = file.substring(0, file.length() - 3);
        }
        return (file + rest).replace("::", ".").replace("/", ".");
    }

    /**
     * A plan may only name tests inside the checkout: an absolute path or one that climbs out with ".." is never run
     * (a broken or hostile server could otherwise point pytest anywhere), and the whole plan is refused.
     */
    static TestPlan confined(TestPlan plan) {
        for (Task task : plan.tasks().values()) {
            for (TestCase test : task.tests()) {
                String runnable = test.runnable();
                int split = runnable.indexOf("::");
                String file = split < 0 ? runnable : runnable.substring(0, split);
                String clean = LocationPrefix.clean(file);
                if (file.isEmpty() || file.startsWith("/") || file.startsWith("~") || clean.equals("..") || clean.startsWith("../")
                        || file.contains("\0")) {
                    throw new ApiException(ApiException.Kind.UNREADABLE, 200,
                            "the plan names \"" + runnable + "\", which is not a path inside the checkout");
                }
            }
        }
        return plan;
    }

    private TestPlan stripPrefix(TestPlan plan) {
        if (settings.prefix().isEmpty()) {
            return plan;
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        plan.tasks().forEach((node, task) -> tasks.put(node, new Task(task.tests().stream()
                .map(t -> t.format().equals("selector") ? t : t.withPath(settings.prefix().strip(t.path())))
                .toList())));
        return new TestPlan(plan.identifier(), plan.parallelism(), tasks, plan.mutedTests(), plan.skippedTests(), false);
    }

    /** The reason bktec goes on without the API: the label, the server's message, and a hint where there is one. */
    private void warnAbout(ApiException e) {
        warnings.accept("⚠️ " + e.kind().label() + ": " + e.getMessage());
        if (e.kind() == ApiException.Kind.NOT_FOUND) {
            warnings.accept("Check BUILDKITE_ORGANIZATION_SLUG and BUILDKITE_TEST_ENGINE_SUITE_SLUG.");
        }
    }

    /**
     * The local plan bktec falls back to: files round-robin. With a tag filter, the chosen tests round-robin instead
     * (bktec would run every test of every file here).
     */
    private Mono<TestPlan> fallback(List<String> files, ApiException e, int parallelism) {
        warnAbout(e);
        warnings.accept("Falling back to splitting locally (" + (settings.tagFiltered() ? "the tagged tests" : "files")
                + " sorted by path, round-robin): no mutes or skips apply and the split ignores test timings, so the "
                + "build may take longer.");
        if (!settings.tagFiltered()) {
            return Mono.just(LocalPlanner.roundRobin(files, parallelism));
        }
        return expander.expand(files).map(ids -> LocalPlanner.longestFirst(
                ids.stream().map(id -> new PlanItem(id, true, 1)).toList(), parallelism));
    }
}

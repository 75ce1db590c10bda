package io.rollgate.evaluation;

import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.Evaluation;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.Evaluator;
import io.rollgate.engine.Explanation;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.FlagResult;
import io.rollgate.engine.OverrideDocument;
import io.rollgate.errors.NotFoundException;
import io.rollgate.overrides.Lookup;
import io.rollgate.overrides.OverrideCache;
import io.rollgate.overrides.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates flags for a context: the catalog snapshot plus the context's cached override documents.
 * No database query on a warm cache; last known good documents (marked stale) when the database fails.
 */
@Singleton
public class EvaluationService {

    private final CatalogService catalogs;
    private final OverrideCache overrides;
    private final EvaluationMetrics metrics;
    private final Database database;
    private final FlagUsage usage;
    private final Evaluator evaluator = new Evaluator();
    /** While a starting replica rehearses a change: the catalog its made-up customers are answered from. */
    private volatile Rehearsal rehearsal;

    private record Rehearsal(String customers, Catalog catalog) {
    }

    public EvaluationService(CatalogService catalogs, OverrideCache overrides, EvaluationMetrics metrics,
            Database database, FlagUsage usage) {
        this.usage = usage;
        this.catalogs = catalogs;
        this.overrides = overrides;
        this.metrics = metrics;
        this.database = database;
    }

    /** Every flag for the context, shaped by {@code view}. */
    public <T> Uni<T> evaluateAll(EvaluationContext context, Function<Outcome<Evaluation>, T> view) {
        Catalog catalog = rehearsed(context, catalogs.require());
        return withOverrides(context, (customer, organization) -> view.apply(evaluateAll(catalog, context,
                customer.document(), organization.document(), stale(customer, organization))));
    }

    /** Every flag for the context, from what {@link #inputsInMemory} found: nothing is looked up again. */
    public Outcome<Evaluation> evaluateAll(Inputs inputs, EvaluationContext context) {
        return evaluateAll(inputs.catalog(), context, inputs.customer(), inputs.organization(), false);
    }

    private Outcome<Evaluation> evaluateAll(Catalog catalog, EvaluationContext context, OverrideDocument customer,
            OverrideDocument organization, boolean stale) {
        Evaluation evaluation = evaluator.evaluateAll(catalog, context, customer, organization);
        metrics.record(evaluation);
        return new Outcome<>(evaluation, catalog, customer, organization, stale);
    }

    /** One flag for the context. */
    public Uni<Outcome<FlagResult>> evaluate(FlagDefinition flag, EvaluationContext context) {
        Catalog catalog = catalogs.require();
        return withOverrides(context, (customer, organization) -> {
            FlagResult result = evaluator.evaluate(catalog, flag, context, customer.document(),
                    organization.document());
            metrics.record(result);
            usage.evaluated(flag.key());
            return new Outcome<>(result, catalog, customer.document(), organization.document(),
                    stale(customer, organization));
        });
    }

    /**
     * How {@code flag} (every flag when null) is decided for the context, step by step, from the documents a widget's answer
     * would use. Not counted as an evaluation: an operator asking why is not a client using the flag.
     */
    public Uni<Outcome<List<Explanation>>> explain(EvaluationContext context, String flag) {
        // the flags named and their evaluation come from one snapshot
        Catalog catalog = catalogs.require();
        List<FlagDefinition> flags = flag == null
                ? List.copyOf(catalog.flags())
                : List.of(catalog.find(flag).orElseThrow(() -> new NotFoundException("No flag " + flag)));
        return withOverrides(context, (customer, organization) -> new Outcome<>(flags.stream()
                .map(each -> evaluator.explain(catalog, each, context, customer.document(), organization.document()))
                .toList(), catalog, customer.document(), organization.document(), stale(customer, organization)));
    }

    /**
     * A result with the snapshot and override documents it came from, and whether it rests on last known good
     * data. The inputs are the very instances used, so a caller can tell whether a result is still current.
     */
    public record Outcome<R>(R result, Catalog catalog, OverrideDocument customer, OverrideDocument organization,
            boolean stale) {

        /** What it was computed from. */
        public Inputs inputs() {
            return new Inputs(catalog, customer, organization);
        }
    }

    /** What an evaluation for a context would be computed from right now, when all of it is in memory. */
    public record Inputs(Catalog catalog, OverrideDocument customer, OverrideDocument organization) {
    }

    /**
     * The inputs of an evaluation for {@code context} when the catalog and both override documents are in
     * memory and fresh; null otherwise (a miss to load, or the database down, where answers are marked stale).
     */
    public Inputs inputsInMemory(EvaluationContext context) {
        // before the first load the snapshot is the empty catalog: nothing to answer from, the slow path says 503
        if (!catalogs.isLoaded() || !database.isUp()) {
            return null;
        }
        Catalog catalog = rehearsed(context, catalogs.snapshot());
        Lookup customer = overrides.peek(Scope.CUSTOMER, context.customerId());
        Lookup organization = overrides.peek(Scope.ORGANIZATION, context.organizationId());
        return customer == null || organization == null
                ? null
                : new Inputs(catalog, customer.document(), organization.document());
    }

    /**
     * Answers customers whose ids start with {@code customers} (made-up ones, a starting replica's) from
     * {@code catalog} until {@link #endRehearsal}: a change rehearsed on them runs what a real change runs, down to
     * every answer kept for them being from older inputs, and no one else's answer sees it.
     */
    public void rehearse(String customers, Catalog catalog) {
        rehearsal = new Rehearsal(customers, catalog);
    }

    public void endRehearsal() {
        rehearsal = null;
    }

    private Catalog rehearsed(EvaluationContext context, Catalog real) {
        Rehearsal now = rehearsal;
        return now == null || context.customerId() == null || !context.customerId().startsWith(now.customers())
                ? real
                : now.catalog();
    }

    /** The counts an evaluation adds to, for serving it again from a rendering of it. */
    public EvaluationMetrics.Tally tally(Evaluation evaluation) {
        return metrics.tally(evaluation);
    }

    /** Counts an evaluation served again from a rendering of it, as if it had been made once more. */
    public void served(EvaluationMetrics.Tally tally) {
        tally.add();
    }

    private boolean stale(Lookup customer, Lookup organization) {
        return customer.stale() || organization.stale() || !database.isUp();
    }

    /**
     * Runs {@code evaluate} with the context's override documents. When both are in memory it runs at once,
     * without reactive operators that would each capture the request context: the warm widget path.
     */
    private <T> Uni<T> withOverrides(EvaluationContext context,
            java.util.function.BiFunction<Lookup, Lookup, T> evaluate) {
        Lookup customer = overrides.peek(Scope.CUSTOMER, context.customerId());
        Lookup organization = overrides.peek(Scope.ORGANIZATION, context.organizationId());
        if (customer != null && organization != null) {
            return Uni.createFrom().item(evaluate.apply(customer, organization));
        }
        return Uni.combine().all()
                .unis(customer != null
                        ? Uni.createFrom().item(customer)
                        : overrides.miss(Scope.CUSTOMER, context.customerId()),
                        organization != null
                                ? Uni.createFrom().item(organization)
                                : overrides.miss(Scope.ORGANIZATION, context.organizationId()))
                .with(evaluate);
    }
}

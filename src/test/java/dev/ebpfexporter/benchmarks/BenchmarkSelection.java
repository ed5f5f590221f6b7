package dev.ebpfexporter.benchmarks;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which benchmarks {@code -Dbenchmark=a,b} selects (none given, or {@code all}: every one): the
 * condition behind {@link Benchmark}, so an unselected benchmark is simply not run. Benchmarks
 * never run in the normal test suite (tag {@code benchmark}, excluded there), only with -Pbenchmarks.
 */
final class BenchmarkSelection implements ExecutionCondition {
    BenchmarkSelection() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Benchmark> benchmark = context.getElement().map(e -> e.getAnnotation(Benchmark.class));
        if (benchmark.isEmpty() || listed("benchmark", benchmark.get().value())) {
            return ConditionEvaluationResult.enabled("selected by -Dbenchmark");
        }
        return ConditionEvaluationResult.disabled("not in -Dbenchmark=" + System.getProperty("benchmark"));
    }

    /** Whether the comma-separated list in system property {@code property} names {@code value}; unset, blank or {@code all} names everything. */
    static boolean listed(String property, String value) {
        String wanted = System.getProperty(property, "all");
        return wanted.isBlank() || wanted.equals("all") || Arrays.asList(wanted.split(",")).contains(value);
    }
}

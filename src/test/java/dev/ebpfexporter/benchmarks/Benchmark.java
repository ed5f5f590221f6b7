package dev.ebpfexporter.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A benchmark: a test method run only when {@code -Dbenchmark} selects its name (see {@link BenchmarkSelection}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@ExtendWith(BenchmarkSelection.class)
@interface Benchmark {
    /** The name {@code -Dbenchmark=a,b} selects it by. */
    String value();
}

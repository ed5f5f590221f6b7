package dev.ebpfexporter.benchmarks;

/**
 * A JVM that does nothing: {@link FleetBenchmark} starts it with the launcher's JVM flags beside the
 * exporter, so that the exporter's memory can be read against what the JVM alone costs.
 */
public final class IdleJvm {
    private IdleJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("idle");
        Thread.sleep(Long.MAX_VALUE);
    }
}

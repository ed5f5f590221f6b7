package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.Exporter;
import dev.ebpfexporter.collector.ExporterView;
import dev.ebpfexporter.http.Query;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The view's parts that need no kernel: history bounds, the query, the server-rendered page. */
class ViewUnitsTest {
    @Test
    void historyKeepsTheLastWindowOfColumnsOnly() {
        HeatmapHistory history = new HeatmapHistory();
        for (int seq = 1; seq <= HeatmapHistory.COLUMNS + 10; seq++) {
            history.record(seq, seq * 2000L, 2000, Map.of("m{}", new long[]{seq, 0}));
        }
        List<HeatmapHistory.Column> columns = history.columnsAfter(0);
        assertThat(columns).hasSize(HeatmapHistory.COLUMNS);
        assertThat(columns.getFirst().seq()).isEqualTo(11);
        assertThat(columns.getLast().seq()).isEqualTo(HeatmapHistory.COLUMNS + 10);
        assertThat(history.deltas("m{}", columns.getLast())).containsExactly(HeatmapHistory.COLUMNS + 10, 0);
        assertThat(history.columnsAfter(HeatmapHistory.COLUMNS + 9)).hasSize(1);
    }

    @Test
    void historyStaysWithinItsCellBudgetAndDropsSeriesGoneForAWindow() {
        HeatmapHistory history = new HeatmapHistory();
        Map<String, long[]> many = new HashMap<>();
        for (int s = 0; s < 1000; s++) {
            many.put("m{s=\"" + s + "\"}", new long[64]);
        }
        history.record(1, 0, 2000, many);
        assertThat(history.cells()).isLessThanOrEqualTo(HeatmapHistory.MAX_CELLS);
        long tracked = many.keySet().stream().filter(history::tracks).count();
        assertThat(tracked).isEqualTo(HeatmapHistory.MAX_CELLS / (64L * HeatmapHistory.COLUMNS));
        for (int seq = 2; seq <= HeatmapHistory.COLUMNS + 1; seq++) {
            history.record(seq, seq, 2000, Map.of("other{}", new long[]{1}));
        }
        assertThat(history.cells()).isEqualTo(HeatmapHistory.COLUMNS);
        assertThat(history.tracks("other{}")).isTrue();
    }

    @Test
    void historyCountsNeverGoNegative() {
        HeatmapHistory history = new HeatmapHistory();
        history.record(1, 0, 2000, Map.of("m{}", new long[]{-5, Long.MAX_VALUE}));
        assertThat(history.deltas("m{}", history.columnsAfter(0).getFirst())).containsExactly(0, Integer.MAX_VALUE);
    }

    @Test
    void theQueryAcceptsSinceTopAndFilterOnly() {
        assertThat(LiveView.parse(Query.parse("since=7&top=5&filter=write%20op"))).isEqualTo(new ViewData.Query(7, 5, "write op"));
        assertThat(LiveView.parse(Query.parse(null))).isEqualTo(ViewData.Query.DEFAULT);
        assertThatThrownBy(() -> LiveView.parse(Query.parse("top=0"))).hasMessage("top=0: expected a whole number from 1 to 1000");
        assertThatThrownBy(() -> LiveView.parse(Query.parse("limit=3"))).hasMessage("unknown query parameter limit; accepted: since, top, filter");
    }

    @Test
    void thePageShowsWhereTheSeriesLimitCuts() {
        ExporterView.Config config = new ExporterView.Config("many", List.of(), List.of(),
                List.of(new ExporterView.SeriesCut("things<total>", 100000, 200000, 600000)));
        assertThat(ViewPage.render("1.2.3", "/metrics", List.of(config), List.of()))
                .contains("<th>over the series limit</th>")
                .contains("<tr><td class=\"bad\">things&lt;total&gt;</td><td class=\"num\">100000</td>"
                        + "<td class=\"num\">200000</td><td class=\"num\">600000</td></tr>");
        assertThat(ViewPage.render("1.2.3", "/metrics", List.of(new ExporterView.Config("few", List.of(), List.of())),
                List.of())).doesNotContain("over the series limit");
    }

    @Test
    void thePageListsProgramsWithTheirStateAndReasonWithoutScript() {
        ExporterView.Config config = new ExporterView.Config("demo<1>", List.of(
                new ExporterView.Program("on_start", "tp_btf/timer_start", 12, "abc", true, Optional.empty(), 42, 3_500_000),
                new ExporterView.Program("on_missing", "tracepoint/x/y", 13, "def", false,
                        Optional.of("tracepoint x/y does not exist"), 0, 0)),
                List.of(new ExporterView.Map("counts", "hash", 8, 8, 1024, List.of("demo_total")),
                        new ExporterView.Map("events", "ringbuf", 0, 0, 4096, List.of(), OptionalLong.of(7)),
                        new ExporterView.Map("samples", "perf_event_array", 4, 4, 2, List.of("samples_total"),
                                OptionalLong.of(0))));
        String html = ViewPage.render("1.2.3", "/metrics", List.of(config),
                List.of(new Exporter.ConfigFailure("other", "other.yaml:3: broken")));
        assertThat(html).contains("<h3>demo&lt;1&gt;</h3>")
                .contains("<tr data-program=\"on_start\"><td>on_start</td><td>tp_btf/timer_start</td><td>12</td>"
                        + "<td class=\"ok\">attached</td><td class=\"num runs\">42</td><td class=\"num run-time\">3.5 ms</td>")
                .contains("<td class=\"bad\">not attached: tracepoint x/y does not exist</td>")
                .contains("<tr><td>counts</td><td>hash</td><td class=\"num\">8 B</td><td class=\"num\">8 B</td>"
                        + "<td class=\"num\">1024</td><td>demo_total</td><td class=\"num lost\"></td></tr>")
                .contains("<td>events</td><td>ringbuf</td><td class=\"num\">0 B</td><td class=\"num\">0 B</td>"
                        + "<td class=\"num\">4096</td><td></td><td class=\"num lost bad\">7</td></tr>")
                .contains("<td>samples_total</td><td class=\"num lost\">0</td></tr>")
                .contains("<h3>Failed configs</h3>", "<tr><td>other</td><td>other.yaml:3: broken</td></tr>")
                .contains("<script src=\"/view/view.js\" defer></script>")
                .doesNotContain("<script>");
    }
}

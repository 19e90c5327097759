package uk.org.bac.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.rankeval.RankEvalPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.join.ParentJoinPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.percolator.PercolatorPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.script.mustache.MustachePlugin;
import org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Runs one real OpenSearch node in this JVM, for local development and the test suite.
 *
 * <p>The server and the modules a distribution ships come from Maven Central and are loaded as
 * classpath plugins, so no tarball is unpacked. The node listens on 127.0.0.1 only, as a
 * single-node cluster without security (no security plugin is on the classpath).
 *
 * <p>Configuration: home directory from the first argument or {@code OPENSEARCH_HOME} (else a new
 * temporary directory under {@code .opensearch/}); data in {@code <home>/data}, logs in
 * {@code <home>/logs}; HTTP port from {@code OPENSEARCH_PORT} (default 9200). SIGTERM closes the
 * node cleanly.
 */
public final class Launcher {

    /** The modules loaded into the node, all from Maven Central. */
    static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class,
        CommonAnalysisPlugin.class,
        PainlessPlugin.class,
        MustachePlugin.class,
        ReindexPlugin.class,
        MapperExtrasPlugin.class,
        MatrixAggregationPlugin.class,
        ParentJoinPlugin.class,
        PercolatorPlugin.class,
        RankEvalPlugin.class
    );

    /** {@link Node}'s constructor that takes classpath plugins is protected. */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
            super(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> settings.get("node.name")),
                plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = homeDirectory(args);
        Path data = home.resolve("data");
        Path logs = home.resolve("logs");
        for (Path dir : List.of(home.resolve("config"), home.resolve("modules"), home.resolve("plugins"), data, logs)) {
            Files.createDirectories(dir);
        }
        String port = envOr("OPENSEARCH_PORT", "9200");

        Settings settings = Settings.builder()
            .put("cluster.name", envOr("OPENSEARCH_CLUSTER_NAME", "bac-collection-local"))
            .put("node.name", envOr("OPENSEARCH_NODE_NAME", "bac-local"))
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // A development node: a nearly full disk must not turn its indexes read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        final Node node;
        try {
            node = new EmbeddedNode(settings, MODULES);
        } catch (Throwable t) {
            fail(t);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
                LogManager.shutdown();
            }
        }, "opensearch-shutdown"));
        try {
            node.start();
        } catch (Throwable t) {
            fail(t);
        }
        System.out.println("OpenSearch node listening on http://127.0.0.1:" + port + "/ (home " + home + ")");
        // Node threads may all be daemons: keep one ordinary thread alive until shutdown.
        closed.await();
    }

    /** A node that failed to build or start exits at once: its threads must not keep the JVM up. */
    private static void fail(Throwable t) {
        System.err.println("OpenSearch node failed to start: " + t);
        t.printStackTrace();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private static Path homeDirectory(String[] args) throws Exception {
        String configured = args.length > 0 ? args[0] : System.getenv("OPENSEARCH_HOME");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        Path base = Paths.get(".opensearch").toAbsolutePath().normalize();
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "node-");
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

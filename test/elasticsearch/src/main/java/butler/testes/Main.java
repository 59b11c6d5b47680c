package butler.testes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.node.ButlerTestNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Runs one real Elasticsearch 8 node in this JVM for tests: loopback only,
 * single-node discovery, data under the home directory given as the first
 * argument. The HTTP port (or range) is the second argument; the bound
 * address is written to HOME/logs/http.ports by Elasticsearch itself.
 * Runs until the process receives SIGTERM/SIGINT, then closes the node
 * cleanly so the next start finds intact data.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Main HOME HTTP_PORT_OR_RANGE");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("config"));

        Settings settings = Settings.builder()
            .put("cluster.name", "butler-test")
            .put("node.name", "butler-test-node")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[1])
            .put("transport.port", "39300-39399")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .put("discovery.type", "single-node")
            // Writes logs/http.ports so the start script learns the port.
            .put("node.portsfile", true)
            // A shared test machine's disk may be fuller than the default
            // watermarks; tests must not turn read-only because of it.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();

        LogConfigurator.configureWithoutConfig(settings);

        Node node = new ButlerTestNode(settings, List.of(Netty4Plugin.class, CjkAnalysisPlugin.class, RootInfoPlugin.class));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "butler-es-shutdown"));
        node.start();
        System.out.println("butler-es: node started");
        closed.await();
    }
}

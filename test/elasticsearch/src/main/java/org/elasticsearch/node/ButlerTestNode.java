package org.elasticsearch.node;

import java.util.Collection;
import java.util.Map;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsService;

/**
 * A real Elasticsearch node whose plugins come from the class path instead of
 * a modules/ directory. It lives in org.elasticsearch.node because the seam it
 * needs (NodeConstruction, NodeServiceProvider) is package-private; the test
 * framework's MockNode uses the same seam but drags in ESTestCase, whose static
 * initialiser refuses to run as root.
 */
public final class ButlerTestNode extends Node {

    public ButlerTestNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
        this(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "butler-test-node"), plugins);
    }

    private ButlerTestNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(environment, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, Settings settings) {
                return new MockPluginsService(settings, env, plugins);
            }
        }, true));
    }
}

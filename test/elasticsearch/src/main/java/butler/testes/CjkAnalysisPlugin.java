package butler.testes;

import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The built-in "cjk" analyzer. In a packaged Elasticsearch it comes from the
 * analysis-common module, which is not published to Maven Central; this
 * registers the same Lucene CJKAnalyzer (CJK width folding, lower case,
 * bigrams, default stop words) under the same name, both as the pre-built
 * analyzer ("analyzer": "cjk") and as a configurable type ("type": "cjk").
 */
public class CjkAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("cjk", (indexSettings, env, name, settings) -> new AbstractIndexAnalyzerProvider<CJKAnalyzer>(name, settings) {
            private final CJKAnalyzer analyzer = new CJKAnalyzer(
                Analysis.parseStopWords(env, settings, CJKAnalyzer.getDefaultStopSet()));

            @Override
            public CJKAnalyzer get() {
                return analyzer;
            }
        });
    }

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        return List.of(new PreBuiltAnalyzerProviderFactory("cjk", CachingStrategy.LUCENE, CJKAnalyzer::new));
    }
}

package org.diffdenoise.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.diffdenoise.model.tf.UNetGraph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Warm start: sets a training graph's weights and their moving average to given values (by parameter name); Adam's
 * moments stay as they are. Parameters without a value keep their initial values (a grown network's new blocks).
 */
final class WarmStart {

    private WarmStart() {
    }

    /**
     * Loads {@code values} into the weights and EMA of {@code g}; every value must name a parameter of the network with
     * the right size, and at least one must.
     *
     * @return the names of the parameters that kept their initial values
     */
    static List<String> load(TrainingGraph g, Session session, Map<String, float[]> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("warm-start weights: none given");
        Ops tf = Ops.create(g.graph);
        List<UNetGraph.Parameter> params = g.net.parameters();
        Map<String, UNetGraph.Parameter> byName = g.net.parametersByName();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            UNetGraph.Parameter p = byName.get(e.getKey());
            if (p == null) throw new IllegalArgumentException("warm-start weights: " + e.getKey() + " is not a parameter of this network");
            if (e.getValue().length != p.size())
                throw new IllegalArgumentException("warm-start weights: " + p.name() + " has " + e.getValue().length
                        + " values, expected " + p.size());
        }
        List<String> kept = new ArrayList<>();
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner r = session.runner();
            for (int i = 0; i < params.size(); i++) {
                UNetGraph.Parameter p = params.get(i);
                float[] v = values.get(p.name());
                if (v == null) {
                    kept.add(p.name());
                    continue;
                }
                TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(v, true, false));
                tensors.add(t);
                Placeholder<TFloat32> ph = UNetGraph.named(tf, "warm_start/value_" + i).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(p.shape())));
                r.feed(ph, t).addTarget(tf.assign(p.variable(), ph)).addTarget(tf.assign(g.ema.get(i), ph));
            }
            r.run();
        } finally {
            for (TFloat32 t : tensors) t.close();
        }
        return kept;
    }
}

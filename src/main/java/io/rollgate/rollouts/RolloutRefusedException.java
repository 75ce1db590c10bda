package io.rollgate.rollouts;

import io.rollgate.errors.ConflictException;
import java.util.List;

/** A rollout action that the rollout's state or its criteria do not allow: 409 with the unmet criteria. */
public class RolloutRefusedException extends ConflictException {

    public RolloutRefusedException(String detail, List<Criterion> unmet) {
        super(detail, unmet);
    }

    public RolloutRefusedException(String detail) {
        this(detail, List.of());
    }

    @SuppressWarnings("unchecked")
    @Override
    public List<Criterion> unmet() {
        return (List<Criterion>) super.unmet();
    }
}

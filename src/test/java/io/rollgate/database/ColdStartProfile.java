package io.rollgate.database;

import java.util.List;

/** Like {@link DatabaseOutageProfile}, but PostgreSQL is unreachable when the service starts. */
public class ColdStartProfile extends DatabaseOutageProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(CutAtStart.class));
    }

    public static class CutAtStart extends ProxyResource {
        @Override
        boolean startCut() {
            return true;
        }
    }
}

package io.rollgate.security;

import java.util.Map;

/** Forwarded headers are believed only from a proxy elsewhere: the local test client is not one. */
public class UntrustedPeerProfile extends LockedDownProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
        overrides.put("quarkus.http.proxy.trusted-proxies", "10.255.255.254");
        return overrides;
    }
}

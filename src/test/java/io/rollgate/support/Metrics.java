package io.rollgate.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one series from the service's Prometheus endpoint. */
public final class Metrics {

    private Metrics() {
    }

    /** Sum of every series of the metric whose labels contain {@code labelFilter} (empty for all). */
    public static double value(String metric, String labelFilter) {
        String text = Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString();
        // labels up to the last brace of the line: a path template's {id} is inside a label's value
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{.*\\})?\\s+([0-9.eE+-]+)$",
                Pattern.MULTILINE);
        Matcher matcher = line.matcher(text);
        double sum = 0;
        while (matcher.find()) {
            String labels = matcher.group(1) == null ? "" : matcher.group(1);
            if (labels.contains(labelFilter)) {
                sum += Double.parseDouble(matcher.group(2));
            }
        }
        return sum;
    }
}

package io.wareedge.server.ingest;

import io.micronaut.context.annotation.Factory;
import io.wareedge.server.deadletter.DeadLetterLog;
import jakarta.inject.Singleton;

/** Beans of plain classes that carry no Micronaut annotations themselves. */
@Factory
class IngestBeans {

    @Singleton
    DeadLetterLog deadLetterLog() {
        return new DeadLetterLog();
    }
}

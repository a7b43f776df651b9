package io.wareedge.server.security;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Checks {@code POST /login} and HTTP Basic credentials against {@link UserAccounts}. Runs on the blocking
 * executor: PBKDF2 takes tens of milliseconds and must not stall the event loop.
 */
@Singleton
final class ConfiguredUsersAuthenticationProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    private final UserAccounts accounts;

    ConfiguredUsersAuthenticationProvider(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> requestContext,
                                                        @NonNull AuthenticationRequest<String, String> authRequest) {
        String user = authRequest.getIdentity();
        return accounts.authenticate(user, authRequest.getSecret())
                ? AuthenticationResponse.success(user, List.of("ROLE_USER"))
                : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
}

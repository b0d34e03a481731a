package io.chatai.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensitiveTextTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "The user's OpenAI key is sk-proj-abcDEF1234567890xyz",
            "The user's key is sk-ant-api03-AbCdEf123456",
            "The user shared ghp_abcdefghijklmnop1234567890",
            "Their AWS access key id is AKIAIOSFODNN7EXAMPLE",
            "The session is eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
            "The user's password is hunter2",
            "The user's wifi passcode is swordfish",
            "用户的密码是 abc123",
            "The user's card number is 4111 1111 1111 1111",
            "The user paid with 5500-0000-0000-0004",
            "The user's phone number is +86 138-0013-8000",
            "Call the user at 13800138000",
            "The user can be reached on (555) 123-4567",
            "The user's ID card number is 11010519491231002X",
            "用户的身份证是 110105194912310021",
            "The user's SSN is 123-45-6789",
            "The user's bank account is 6222021234567890123",
            "The user's access code is Zq8xV3mP9rT2wL6yK1nB",
    })
    void should_refuse_secrets_and_sensitive_numbers(String fact) {
        assertTrue(SensitiveText.isSensitive(fact), fact);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "The user is vegetarian",
            "The user was born on 1990-05-17",
            "The user has 2 cats and lives in Berlin",
            "The user is 34 years old and moved here in 2019",
            "The user works at Example Corp since 03/2021",
            "The user prefers answers in Chinese",
            "用户喜欢喝绿茶",
            "The user's favourite number is 42",
            "The user runs 10 km every Saturday at 7:30",
    })
    void should_keep_ordinary_facts(String fact) {
        assertFalse(SensitiveText.isSensitive(fact), fact);
    }
}

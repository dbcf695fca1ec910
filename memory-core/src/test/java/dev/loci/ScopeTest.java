package dev.loci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ScopeTest {

    @Test
    void userIsRequiredAndChecked() {
        assertThatThrownBy(() -> Scope.user(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("user");
        assertThatThrownBy(() -> Scope.user("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user").hasMessageContaining("blank");
        assertThatThrownBy(() -> Scope.user("x".repeat(Scope.MAX_PART_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("257").hasMessageContaining(String.valueOf(Scope.MAX_PART_LENGTH));
        assertThatThrownBy(() -> Scope.user("a\nb")).hasMessageContaining("control");
        assertThatThrownBy(() -> Scope.user("alice").agent(" ")).hasMessageContaining("agent");
        assertThatThrownBy(() -> Scope.user("alice").session("")).hasMessageContaining("session");
    }

    @Test
    void partsMustBeValidUnicodeButMayLookLikePaths() {
        assertThatThrownBy(() -> Scope.user("x\ud800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scope user is not valid Unicode").hasMessageContaining("index 1");
        assertThatThrownBy(() -> Scope.user("alice").agent("\udc00bot")).hasMessageContaining("scope agent");
        assertThatThrownBy(() -> Scope.user("alice").session("s\ude00\ud83d")).hasMessageContaining("scope session")
                .hasMessageContaining("index 1");
        assertThat(Scope.user("\ud83d\ude00").user()).as("a surrogate pair is one character").hasSize(2);
        assertThat(Scope.user("../../etc").agent("a/b\\c").session("..").toString()).isEqualTo("../../etc/a/b\\c#..");
    }

    @Test
    void containsCoversNarrowerScopes() {
        Scope alice = Scope.user("alice");
        Scope bot = alice.agent("bot");
        Scope s1 = bot.session("s1");
        assertThat(alice.contains(s1)).isTrue();
        assertThat(bot.contains(s1)).isTrue();
        assertThat(s1.contains(bot)).isFalse();
        assertThat(s1.contains(bot.session("s2"))).isFalse();
        assertThat(alice.contains(Scope.user("bob"))).isFalse();
        assertThat(s1.userOnly()).isEqualTo(alice);
    }

    @Test
    void readsCrossSessionsButNotUsersOrOtherAgents() {
        Scope s1 = Scope.user("alice").agent("bot").session("s1");
        assertThat(s1.sees(Scope.user("alice").agent("bot").session("s2"))).isTrue();
        assertThat(s1.sees(Scope.user("alice"))).as("records without agent are shared").isTrue();
        assertThat(s1.sees(Scope.user("alice").agent("other"))).isFalse();
        assertThat(s1.sees(Scope.user("bob").agent("bot").session("s1"))).isFalse();
        assertThat(Scope.user("alice").sees(Scope.user("alice").agent("other"))).isTrue();
    }

    @Test
    void aScopeNeverSeesOrContainsAnotherUser() {
        Gen<Scope> scopes = integers().between(0, 26).zip(integers().between(0, 2), integers().between(0, 2),
                (u, a, s) -> {
                    Scope scope = Scope.user("u" + (u % 3));
                    scope = a == 0 ? scope : scope.agent("a" + a);
                    return s == 0 ? scope : scope.session("s" + s);
                });
        qt().withFixedSeed(Long.getLong("loci.seed", 42L)).forAll(scopes, scopes).check((x, y) ->
                (x.user().equals(y.user()) || !(x.sees(y) || x.contains(y)))
                        && (!x.contains(y) || x.sees(y))
                        && x.contains(x) && x.sees(x));
    }
}

package io.chatai.budget;

import io.chatai.auth.AuthFilter;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.usage.Cost;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/budgets} (admin): create, read, change and delete budgets. Every read shows where the budget
 * stands in its current period: {@code spentTokens}, {@code spentCost}, what calls in flight hold
 * ({@code reserved…}), {@code remaining…} and {@code resetsAt}; a {@code "*"} budget shows that for each
 * subject with spending this period ({@code subjects}, the most tokens first), or for one with
 * {@code ?subject=}.
 */
public final class BudgetRoutes implements HttpService {
    /** A "*" budget lists this many subjects at most. */
    static final int MAX_SUBJECTS = 100;

    private final BudgetRepository budgets;
    private final BudgetGate gate;

    public BudgetRoutes(BudgetRepository budgets, BudgetGate gate) {
        this.budgets = budgets;
        this.gate = gate;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        Responses.ok(res, budgets.all().stream().map(b -> view(b, null)).toList());
    }

    private void get(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        Budget budget = find(req);
        Responses.ok(res, view(budget, Requests.textQuery(req, "subject", 128)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        Budget budget = BudgetForm.create(Requests.json(req), gate.now());
        if (!budgets.insert(budget)) {
            throw ApiException.invalid("There are " + BudgetRepository.MAX_BUDGETS + " budgets already; delete one first "
                    + "(a \"*\" subject gives each key, user or group a budget of its own)");
        }
        Responses.created(res, view(budget, null));
    }

    private void update(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        Budget merged = BudgetForm.merge(find(req), Requests.json(req), gate.now());
        if (!budgets.update(merged)) {
            throw notFound(merged.id());
        }
        Responses.ok(res, view(merged, null));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        if (!budgets.delete(id)) {
            throw notFound(id);
        }
        Responses.send(res, 200, Map.of("success", true));
    }

    private Budget find(ServerRequest req) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        return budgets.find(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "No budget '" + id + "'");
    }

    /** The budget with where it stands now: for its subject, for {@code subject} of a "*" budget, or for each subject. */
    private Map<String, Object> view(Budget budget, String subject) {
        long now = gate.now();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", budget.id());
        view.put("scope", budget.scope().wire());
        view.put("subject", budget.subject());
        view.put("period", budget.period().wire());
        view.put("maxTokens", budget.maxTokens());
        view.put("maxCost", Cost.decimalOrNull(budget.maxCostNanos()));
        view.put("message", budget.message());
        view.put("createdAt", budget.createdAt());
        view.put("updatedAt", budget.updatedAt());
        view.put("periodStart", budget.period().start(now));
        view.put("resetsAt", budget.period().end(now));
        String one = budget.subject().equals(Budget.EVERY) ? subject : budget.subject();
        if (one != null) {
            view.putAll(standing(budget, gate.standing(budget, one)));
        } else {
            List<BudgetLedger.Standing> subjects = gate.subjects(budget, MAX_SUBJECTS);
            view.put("subjects", subjects.stream().map(s -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("subject", s.subject());
                row.putAll(standing(budget, s));
                return row;
            }).toList());
        }
        return view;
    }

    private static Map<String, Object> standing(Budget budget, BudgetLedger.Standing standing) {
        BudgetLedger.Amount spent = standing.spent();
        BudgetLedger.Amount held = standing.held();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("spentTokens", spent.tokens());
        view.put("spentCost", Cost.decimal(spent.costNanos()));
        view.put("reservedTokens", held.tokens());
        view.put("reservedCost", Cost.decimal(held.costNanos()));
        view.put("remainingTokens", budget.maxTokens() == null ? null
                : Math.max(0, budget.maxTokens() - spent.tokens() - held.tokens()));
        view.put("remainingCost", budget.maxCostNanos() == null ? null
                : Cost.decimal(Math.max(0, budget.maxCostNanos() - spent.costNanos() - held.costNanos())));
        return view;
    }
}

import { registry } from "@web/core/registry";
import { openMenuSteps } from "@logistics_integration/../tests/tours/steps";

// A freight accountant finds in the variance workbench a liftgate nobody ordered on an
// invoice of "Prairie Freight", opens the invoice and disputes it with the carrier.
// The test makes the delivered load and the carrier's 210.
registry.category("web_tour.tours").add("logistics_freight_billing_accountant_disputes", {
    steps: () => [
        ...openMenuSteps(
            "account.menu_finance",
            "logistics_freight_billing.logistics_freight_billing_menu",
            "logistics_freight_billing.logistics_freight_audit_line_menu_workbench"
        ),
        {
            content: "The workbench groups the variances by carrier: open the tour carrier's",
            trigger: ".o_group_header:contains('Prairie Freight')",
            run: "click",
        },
        {
            content: "Then by charge type: the liftgate",
            trigger: ".o_group_header:contains('Liftgate')",
            run: "click",
        },
        {
            content: "Review the invoice of the liftgate nobody expected",
            trigger: ".o_data_row:contains('Liftgate'):contains('Not expected') button[name=action_open_invoice]",
            run: "click",
        },
        {
            content: "The invoice says what is wrong",
            trigger: ".o_form_view .alert-warning:contains('nobody expected it')",
        },
        {
            content: "Dispute it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_dispute]",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit No liftgate was ordered for this delivery: the dock is at truck height.",
        },
        {
            content: "The liftgate is the amount in dispute",
            trigger: ".modal .o_field_widget[name=amount] input:value(75.00)",
        },
        {
            content: "Send the dispute",
            trigger: ".modal button[name=action_dispute]",
            run: "click",
        },
        {
            content: "The invoice waits, disputed",
            trigger: ".o_form_view .alert-info:contains('No liftgate was ordered')",
        },
    ],
});

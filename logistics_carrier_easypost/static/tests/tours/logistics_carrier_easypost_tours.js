import { registry } from "@web/core/registry";
import { openMenuSteps } from "@logistics_integration/../tests/tours/steps";

// A shipping clerk follows a parcel: Inventory > Operations > Tracking Board, a card, its
// timeline. The test creates the delivery "TOUR-TRACK-1" of "Tour Consignee" in transit.
registry.category("web_tour.tours").add("logistics_carrier_clerk_tracking", {
    steps: () => [
        ...openMenuSteps(
            "stock.menu_stock_root",
            "stock.menu_stock_warehouse_mgmt",
            "logistics_carrier.logistics_tracking_board_stock_menu"
        ),
        {
            content: "The parcel is in the 'In transit' column",
            trigger: ".o_kanban_group:contains('In transit') .o_kanban_record:contains('Tour Consignee')",
        },
        {
            content: "Open the delivery",
            trigger: ".o_kanban_record:contains('TOUR-TRACK-1')",
            run: "click",
        },
        {
            content: "Open its tracking tab",
            trigger: ".o_notebook a.nav-link:contains('Tracking')",
            run: "click",
        },
        {
            content: "The timeline shows the newest event first, with its place",
            trigger: ".o_field_widget[name=logistics_event_ids] .o_data_row:first-child:contains('Arrived at hub'):contains('MEMPHIS')",
        },
        {
            content: "and the older one after it",
            trigger: ".o_field_widget[name=logistics_event_ids] .o_data_row:contains('Picked up')",
        },
    ],
});

// An integration manager retries a label the carrier failed to sell: Logistics Integration
// > Workbench, the failed label request, Retry now, then the delivery with its parcel.
registry.category("web_tour.tours").add("logistics_carrier_manager_retry_label", {
    steps: () => [
        ...openMenuSteps(
            "logistics_integration.logistics_integration_menu",
            "logistics_integration.logistics_message_workbench_menu"
        ),
        {
            content: "Drop the grouping to see the messages themselves",
            trigger: ".o_searchview_facet:contains('Backend') .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the failed label request",
            trigger: ".o_data_row:contains('Shipping label (EasyPost)'):contains('503') td[name=name]",
            run: "click",
        },
        {
            content: "The carrier answered 503",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Dead')",
        },
        {
            content: "Retry it now",
            trigger: "button[name=action_retry_now]",
            run: "click",
        },
        {
            content: "The label is bought",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "Open the delivery it belongs to",
            trigger: "button[name=action_open_record]",
            run: "click",
        },
        {
            content: "Open its parcels",
            trigger: ".o_notebook a.nav-link:contains('Parcels')",
            run: "click",
        },
        {
            content: "One parcel, bought",
            trigger: ".o_field_widget[name=logistics_parcel_ids] .o_data_row:contains('GroundAdvantage'):contains('Label bought')",
        },
    ],
});

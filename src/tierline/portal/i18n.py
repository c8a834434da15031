"""The portal's words in English, French, Italian and Vietnamese.

Document words (invoice, credit note, receipt, totals) come from `tierline.documents.labels`, so
a page and its PDF say the same thing. Every language has the same keys and the same
`{placeholders}` (a test checks it); a language without a catalogue reads English.
"""

from __future__ import annotations

from dataclasses import dataclass

from tierline.documents import Labels, labels_for, resolve_locale

EN: dict[str, str] = {
    # frame
    "portal": "Customer portal",
    "skip": "Skip to content",
    "nav": "Portal sections",
    "nav_home": "Home",
    "nav_plans": "Plans",
    "nav_subscription": "Manage your subscription",
    "nav_billing": "Billing history",
    "nav_payment_methods": "Payment methods",
    "nav_balance": "Balance",
    "nav_messages": "Messages",
    "sign_out": "Sign out",
    "signed_in_as": "{account} · {role}",
    "role_admin": "administrator",
    "role_member": "member",
    "member_note": "You can look around; only administrators can buy, change, cancel or pay.",
    "contact_sales": (
        "Purchases for this organisation are made offline: please contact your sales consultant."
    ),
    "back": "Back",
    "next": "Next",
    "none": "None.",
    "unlimited": "Unlimited",
    # home
    "home_title": "Home",
    "subscription": "Subscription",
    "current_edition": "Current edition",
    "status": "Status",
    "status_Active": "Active",
    "status_Try": "Try",
    "status_Inactive": "Inactive",
    "cycle": "Billing cycle",
    "quantity_used_bought": "{unit}: used / bought",
    "used_unknown": "not reported",
    "price": "Price",
    "next_payment": "Next payment time",
    "registered_from": "Registered from",
    "balance": "Balance",
    "no_subscription": "You have no subscription yet.",
    "choose_plan": "Choose a plan",
    "upgrade": "Upgrade",
    "manage": "Manage your subscription",
    "recharge": "Recharge",
    "use": "Use",
    "quota": "Quota",
    "limit": "Limit",
    "packs_held": "Packs",
    "expand": "Expand",
    "trial_ends": "Your trial ends on {date}.",
    "no_expand_free_trial": (
        "Free and trial editions cannot be expanded and take no packs: "
        "buy the licensed edition first."
    ),
    "auto_renew_off_note": "Automatic renewal is off: the service ends on {date}.",
    "pending_note": "A change to {plan} is scheduled for {date}.",
    # plans
    "plans_title": "Plans",
    "plans_intro": (
        "Choose an edition, a billing cycle and a quantity. "
        "The longer the billing cycle, the bigger the discount."
    ),
    "edition": "Edition",
    "quantity": "Quantity",
    "quantity_of": "Quantity ({unit})",
    "total": "Total",
    "total_formula": "Total = Price × Quantity",
    "per_unit": "{amount} per {unit}",
    "flat": "{amount} in all",
    "band_price": "by band of {unit}",
    "per_month": "≈ {amount} / month",
    "save_percent": "save {percent}%",
    "free": "Free",
    "show_prices": "Show prices",
    "choose": "Choose",
    "current_plan": "Current plan",
    "downgrade": "Downgrade",
    "no_price": "Not available for this cycle",
    "includes": "Includes",
    "features": "Features",
    "trial_days": "{days}-day trial",
    # preview
    "preview_title": "Review before paying",
    "change_upgrade": "Upgrade",
    "change_downgrade": "Downgrade",
    "change_cycle_change": "Change of billing cycle",
    "change_quantity_increase": "Expand",
    "change_quantity_decrease": "Fewer units",
    "change_addon_add": "Buy packs",
    "change_addon_remove": "Remove packs",
    "from_to": "From {before} to {after}",
    "lines_now": "Charged and credited now",
    "no_lines": "Nothing is charged or credited now.",
    "description": "Description",
    "period": "Period",
    "amount": "Amount",
    "amount_due_now": "Amount due now",
    "credit_now": "Credit for unused time",
    "credit_to_invoice": "deducted on this invoice",
    "credit_to_credit_note": "issued as a credit note and set against the new invoice",
    "credit_to_refund": "refunded to your payment method",
    "credit_to_balance": "added to your account balance",
    "takes_effect": "Takes effect",
    "effective_now": "Immediately",
    "effective_on": "On {date}",
    "scheduled_note": (
        "Your plan stays as it is until then. You can cancel this change in "
        "Manage your subscription."
    ),
    "next_renewal": "Next renewal amount",
    "effects": "What you will lose",
    "effects_gain": "What you gain",
    "limit_reduced": "{name}: from {before} to {after}",
    "limit_raised": "{name}: from {before} to {after}",
    "feature_removed": "{name}: no longer included",
    "feature_added": "{name}: included",
    "export_warning": (
        "Be careful to export and download the data you won't be able to access afterwards."
    ),
    "charged_to": "Paid with",
    "no_card": "There is no payment method yet: add one first.",
    "add_card_first": "Add a payment method",
    "confirm_pay": "Pay and update subscription",
    "confirm_change": "Update subscription",
    "confirm_schedule": "Schedule the change",
    "refused_title": "This change is not possible",
    "back_to_plans": "Back to plans",
    # subscribe
    "subscribe_title": "Subscribe",
    "subscribe_pay": "Pay and subscribe",
    "start_trial": "Start the free trial",
    "trial_note": "It starts with a {days}-day free trial: nothing is charged today.",
    "due_today": "Due today",
    # expand and packs
    "expand_title": "Expand",
    "expand_intro": "Set the number you need, then review the update before paying.",
    "quantity_range": "From {min} to {max}",
    "quantity_min": "At least {min}",
    "update_subscription": "Update subscription",
    "packs_title": "Packs",
    "packs_intro": "Set how many packs you want; the price difference is worked out for you.",
    "pack_grants": "Each pack adds {amount} {name}",
    "per_pack": "{amount} per pack",
    "packs_owned": "You have {count}",
    "change_cycle": "Change billing cycle",
    # manage subscription
    "manage_title": "Manage your subscription",
    "auto_renew": "Automatic renewal",
    "auto_renew_on": "On: your subscription renews automatically; next payment on {date}.",
    "auto_renew_on_free": "On: your subscription renews automatically.",
    "auto_renew_off": "Off: you can use the service until {date}, then it ends.",
    "unsubscribe": "Unsubscribe",
    "resubscribe": "Turn automatic renewal back on",
    "unsubscribe_title": "Turn off automatic renewal",
    "unsubscribe_question": (
        "Your subscription will not renew: you can use the service until {date}, then it ends. "
        "Until then you can turn automatic renewal back on."
    ),
    "unsubscribe_confirm": "Turn off automatic renewal",
    "keep_auto_renew": "Keep automatic renewal",
    "scheduled_change": "Scheduled change",
    "scheduled_desc": "Change to {plan} on {date}.",
    "cancel_change": "Cancel this change",
    "no_scheduled": "No change is scheduled.",
    "ended_note": "Your subscription has ended. Choose a plan to subscribe again.",
    "change_plan": "Change plan",
    # billing
    "billing_title": "Billing history",
    "active_bills": "Active bills",
    "paid_bills": "Paid and void bills",
    "download_pdf": "Download PDF",
    "download_named": "Download {name} (PDF)",
    "issued": "Issued",
    # limits reached, paying a bill now, content a change adapts
    "used_limit": "Used / limit",
    "limits_reached": "Limits reached",
    "seats_all_in_use": "All {limit} {unit}s are in use ({used} members counted).",
    "limit_all_used": "{name}: the limit of {limit} is reached ({used} used).",
    "expand_to": "Expand to {quantity} {unit}s",
    "buy_pack": "Buy {name}",
    "upgrade_to": "Upgrade to {name}",
    "nothing_allows_more": "No edition or pack of the catalogue allows more.",
    "pay_now": "Pay now",
    "pay_named": "Pay invoice {number} now",
    "primary_then_backup": "Primary card, then backup",
    "done_invoice_paid": "Invoice {number} is paid. Receipt {receipt} is in your billing history.",
    "invoice_already_paid": "This invoice is paid already.",
    "invoice_uncollectible": (
        "This invoice was written off when the subscription was cancelled; it cannot be paid."
    ),
    "invoice_void": "This invoice is void: its purchase was not paid, so nothing is owed.",
    "content_title": "What will happen to your content",
    "content_intro": "When the change takes effect:",
    "content_remove": "{type} {id} will be removed.",
    "content_remove_for_good": "{type} {id} will be removed; a later upgrade does not restore it.",
    "content_detach": "{type} {id} will be detached; a later upgrade re-attaches it.",
    "content_reattach": "{type} {id} will be re-attached.",
    "content_scale": "{attribute} of {type} {id} scaled from {before} to {after}.",
    "content_cap": "{attribute} of {type} {id} capped from {before} to {after}.",
    # payment methods
    "pm_title": "Payment methods",
    "pm_intro": "The primary method is charged first; the backup is charged when it fails.",
    "card_number": "Card number",
    "sandbox_cards": (
        "Sandbox cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined."
    ),
    "use_as": "Use as",
    "primary": "Primary",
    "backup": "Backup",
    "other": "Other",
    "add_card": "Add card",
    "make_primary": "Make primary",
    "make_backup": "Make backup",
    "remove": "Remove",
    "card_label": "{brand} ending in {last4}",
    "no_methods": "No payment method yet.",
    # balance
    "balance_title": "Balance",
    "balance_intro": (
        "The balance pays for packs and invoices first, and for SMS and e-mail fees."
    ),
    "current_balance": "Current balance",
    "recharge_amount": "Amount ({currency})",
    "recharge_min": "At least {amount}",
    "pay_with": "Pay with",
    "free_no_recharge": "The free edition does not support recharging balance.",
    "recharge_range": "From {min} to {max}",
    "recharge_review_title": "Review your recharge",
    "recharge_balance_after": "Balance after the recharge",
    "recharge_pay": "Pay {amount} and recharge",
    "transactions": "Balance transactions",
    "date": "Date",
    "kind": "Kind",
    "reference": "Reference",
    "tx_top_up": "Recharge",
    "tx_usage": "SMS and e-mail fees",
    "tx_balance_applied": "Paid an invoice",
    "tx_credit_to_balance": "Credit",
    # messages
    "messages_title": "Messages",
    "no_messages": "No messages yet.",
    # outcomes
    "done_subscribed": "Your subscription is active.",
    "done_trial": "Your trial has started.",
    "done_changed": "Your subscription was updated; the change is effective now.",
    "done_scheduled": "Your change is scheduled for {date}.",
    "done_auto_renew_off": "Automatic renewal is off: the service ends on {date}.",
    "done_auto_renew_on": "Automatic renewal is on again.",
    "done_change_canceled": "The scheduled change was cancelled; your plan stays as it is.",
    "done_card_added": "The card was added.",
    "add_card_provider": "Add a card",
    "add_sepa": "Add a bank account (SEPA Direct Debit)",
    "provider_note": (
        "Card and bank details are typed into our payment provider's secure fields; they "
        "never reach us."
    ),
    "setup_title_card": "Add a card",
    "setup_title_sepa": "Add a bank account",
    "account_holder": "Account holder",
    "holder_email": "E-mail",
    "sepa_mandate": (
        "By providing your IBAN and confirming this payment method, you authorise "
        "{seller} and Stripe, our payment service provider, to send instructions to your "
        "bank to debit your account, and your bank to debit your account in accordance "
        "with those instructions. You are entitled to a refund from your bank under the "
        "terms and conditions of your agreement with it; a refund must be claimed within "
        "8 weeks of the date on which your account was debited."
    ),
    "save_method": "Save the payment method",
    "done_method_added": "The payment method was added.",
    "setup_waiting": (
        "The payment provider has not confirmed the method yet; it appears here once it does."
    ),
    "setup_failed": "The payment method could not be added: {reason}",
    "sepa_label": "SEPA Direct Debit, bank {bank}, account ending in {last4}",
    "mandate_label": "mandate {reference}",
    "expires": "expires {expiry}",
    "complete_payment": "Complete your payment",
    "complete_payment_banner": "Your bank asks you to confirm a payment of {amount}.",
    "complete_payment_intro": (
        "Your bank asks you to confirm this payment of {amount} before it goes through."
    ),
    "confirm_payment": "Confirm the payment",
    "payment_completed": "The payment went through. Thank you.",
    "payment_still_pending": (
        "The payment is not confirmed yet; its outcome is recorded as soon as the bank answers."
    ),
    "done_card_removed": "The card was removed.",
    "done_roles": "The payment methods were updated.",
    "done_recharged": "Your balance was recharged; it is now {amount}.",
    "see_invoice": "Invoice {number}",
    # errors
    "error_title": "Something went wrong",
    "not_found": "This page does not exist, or it belongs to another account.",
    "signed_out": "Your portal session has ended. Ask your administrator for a new link.",
    "link_expired": "This portal link has expired. Ask for a new one.",
    "link_used": "This portal link was used already. Ask for a new one.",
    "admins_only": "Only administrators can buy, change, cancel or pay.",
    "csrf_failed": "This form has expired. Reload the page and try again.",
    "bad_request": "Some of the values sent are not valid.",
    "payment_failed": "The payment failed.",
    "no_payment_method": "Add a payment method first.",
    "insufficient_balance": "The balance is too low.",
    "sales_managed": (
        "Purchases for this organisation are made offline: please contact your sales consultant."
    ),
    "top_up_not_allowed": "The free edition does not support recharging balance.",
    "invalid_card": "That card number is not valid.",
}

FR: dict[str, str] = {
    "portal": "Espace client",
    "skip": "Aller au contenu",
    "nav": "Rubriques de l'espace client",
    "nav_home": "Accueil",
    "nav_plans": "Offres",
    "nav_subscription": "Gérer votre abonnement",
    "nav_billing": "Historique de facturation",
    "nav_payment_methods": "Moyens de paiement",
    "nav_balance": "Solde",
    "nav_messages": "Messages",
    "sign_out": "Se déconnecter",
    "signed_in_as": "{account} · {role}",
    "role_admin": "administrateur",
    "role_member": "membre",
    "member_note": (
        "Vous pouvez consulter ; seuls les administrateurs peuvent acheter, modifier, "
        "résilier ou payer."
    ),
    "contact_sales": (
        "Les achats de cette organisation se font hors ligne : contactez votre conseiller "
        "commercial."
    ),
    "back": "Retour",
    "next": "Suivant",
    "none": "Aucun.",
    "unlimited": "Illimité",
    "home_title": "Accueil",
    "subscription": "Abonnement",
    "current_edition": "Offre actuelle",
    "status": "Statut",
    "status_Active": "Actif",
    "status_Try": "Essai",
    "status_Inactive": "Inactif",
    "cycle": "Cycle de facturation",
    "quantity_used_bought": "{unit} : utilisés / achetés",
    "used_unknown": "non communiqué",
    "price": "Prix",
    "next_payment": "Prochain paiement",
    "registered_from": "Inscrit depuis",
    "balance": "Solde",
    "no_subscription": "Vous n'avez pas encore d'abonnement.",
    "choose_plan": "Choisir une offre",
    "upgrade": "Monter en gamme",
    "manage": "Gérer votre abonnement",
    "recharge": "Recharger",
    "use": "Utilisation",
    "quota": "Quota",
    "limit": "Limite",
    "packs_held": "Packs",
    "expand": "Étendre",
    "trial_ends": "Votre essai se termine le {date}.",
    "no_expand_free_trial": (
        "Les offres gratuites et d'essai ne peuvent être étendues ni recevoir de packs : "
        "souscrivez d'abord l'offre payante."
    ),
    "auto_renew_off_note": "Le renouvellement automatique est désactivé : le service prend fin le {date}.",  # noqa: E501
    "pending_note": "Un passage à {plan} est prévu le {date}.",
    "plans_title": "Offres",
    "plans_intro": (
        "Choisissez une offre, un cycle de facturation et une quantité. "
        "Plus le cycle est long, plus la remise est importante."
    ),
    "edition": "Offre",
    "quantity": "Quantité",
    "quantity_of": "Quantité ({unit})",
    "total": "Total",
    "total_formula": "Total = Prix × Quantité",
    "per_unit": "{amount} par {unit}",
    "flat": "{amount} au total",
    "band_price": "par tranche de {unit}",
    "per_month": "≈ {amount} / mois",
    "save_percent": "{percent} % d'économie",
    "free": "Gratuit",
    "show_prices": "Afficher les prix",
    "choose": "Choisir",
    "current_plan": "Offre actuelle",
    "downgrade": "Descendre en gamme",
    "no_price": "Non disponible pour ce cycle",
    "includes": "Comprend",
    "features": "Fonctionnalités",
    "trial_days": "Essai de {days} jours",
    "preview_title": "Vérifier avant de payer",
    "change_upgrade": "Montée en gamme",
    "change_downgrade": "Descente en gamme",
    "change_cycle_change": "Changement de cycle de facturation",
    "change_quantity_increase": "Extension",
    "change_quantity_decrease": "Réduction du nombre",
    "change_addon_add": "Achat de packs",
    "change_addon_remove": "Retrait de packs",
    "from_to": "De {before} à {after}",
    "lines_now": "Facturé et crédité maintenant",
    "no_lines": "Rien n'est facturé ni crédité maintenant.",
    "description": "Désignation",
    "period": "Période",
    "amount": "Montant",
    "amount_due_now": "À payer maintenant",
    "credit_now": "Crédit pour la période non utilisée",
    "credit_to_invoice": "déduit de cette facture",
    "credit_to_credit_note": "émis en avoir et imputé sur la nouvelle facture",
    "credit_to_refund": "remboursé sur votre moyen de paiement",
    "credit_to_balance": "ajouté au solde de votre compte",
    "takes_effect": "Prend effet",
    "effective_now": "Immédiatement",
    "effective_on": "Le {date}",
    "scheduled_note": (
        "Votre offre reste inchangée d'ici là. Vous pouvez annuler ce changement dans "
        "Gérer votre abonnement."
    ),
    "next_renewal": "Montant du prochain renouvellement",
    "effects": "Ce que vous perdrez",
    "effects_gain": "Ce que vous gagnez",
    "limit_reduced": "{name} : de {before} à {after}",
    "limit_raised": "{name} : de {before} à {after}",
    "feature_removed": "{name} : n'est plus inclus",
    "feature_added": "{name} : inclus",
    "export_warning": (
        "Pensez à exporter et télécharger les données auxquelles vous n'aurez plus accès."
    ),
    "charged_to": "Payé avec",
    "no_card": "Aucun moyen de paiement : ajoutez-en un d'abord.",
    "add_card_first": "Ajouter un moyen de paiement",
    "confirm_pay": "Payer et mettre à jour l'abonnement",
    "confirm_change": "Mettre à jour l'abonnement",
    "confirm_schedule": "Programmer le changement",
    "refused_title": "Ce changement n'est pas possible",
    "back_to_plans": "Retour aux offres",
    "subscribe_title": "S'abonner",
    "subscribe_pay": "Payer et s'abonner",
    "start_trial": "Commencer l'essai gratuit",
    "trial_note": "Un essai gratuit de {days} jours commence : rien n'est prélevé aujourd'hui.",
    "due_today": "À payer aujourd'hui",
    "expand_title": "Étendre",
    "expand_intro": "Indiquez le nombre souhaité, puis vérifiez la mise à jour avant de payer.",
    "quantity_range": "De {min} à {max}",
    "quantity_min": "Au moins {min}",
    "update_subscription": "Mettre à jour l'abonnement",
    "packs_title": "Packs",
    "packs_intro": "Indiquez le nombre de packs voulu ; la différence de prix est calculée pour vous.",  # noqa: E501
    "pack_grants": "Chaque pack ajoute {amount} {name}",
    "per_pack": "{amount} par pack",
    "packs_owned": "Vous en avez {count}",
    "change_cycle": "Changer de cycle de facturation",
    "manage_title": "Gérer votre abonnement",
    "auto_renew": "Renouvellement automatique",
    "auto_renew_on": (
        "Activé : votre abonnement se renouvelle automatiquement ; prochain paiement le {date}."
    ),
    "auto_renew_on_free": "Activé : votre abonnement se renouvelle automatiquement.",
    "auto_renew_off": "Désactivé : vous profitez du service jusqu'au {date}, puis il prend fin.",
    "unsubscribe": "Se désabonner",
    "resubscribe": "Réactiver le renouvellement automatique",
    "unsubscribe_title": "Désactiver le renouvellement automatique",
    "unsubscribe_question": (
        "Votre abonnement ne sera pas renouvelé : vous profitez du service jusqu'au {date}, puis "
        "il prend fin. D'ici là, vous pouvez réactiver le renouvellement automatique."
    ),
    "unsubscribe_confirm": "Désactiver le renouvellement automatique",
    "keep_auto_renew": "Garder le renouvellement automatique",
    "scheduled_change": "Changement programmé",
    "scheduled_desc": "Passage à {plan} le {date}.",
    "cancel_change": "Annuler ce changement",
    "no_scheduled": "Aucun changement n'est programmé.",
    "ended_note": "Votre abonnement a pris fin. Choisissez une offre pour vous réabonner.",
    "change_plan": "Changer d'offre",
    "billing_title": "Historique de facturation",
    "active_bills": "Factures en cours",
    "paid_bills": "Factures payées et annulées",
    "download_pdf": "Télécharger le PDF",
    "download_named": "Télécharger {name} (PDF)",
    "issued": "Émise le",
    # limits reached, paying a bill now, content a change adapts
    "used_limit": "Utilisé / limite",
    "limits_reached": "Limites atteintes",
    "seats_all_in_use": "Les {limit} {unit}s sont tous utilisés ({used} membres comptés).",
    "limit_all_used": "{name} : la limite de {limit} est atteinte ({used} utilisés).",
    "expand_to": "Étendre à {quantity} {unit}s",
    "buy_pack": "Acheter {name}",
    "upgrade_to": "Passer à {name}",
    "nothing_allows_more": "Aucune édition ni aucun pack du catalogue ne permet davantage.",
    "pay_now": "Payer maintenant",
    "pay_named": "Payer maintenant la facture {number}",
    "primary_then_backup": "Carte principale, puis de secours",
    "done_invoice_paid": (
        "La facture {number} est payée. Le reçu {receipt} est dans votre historique de facturation."
    ),
    "invoice_already_paid": "Cette facture est déjà payée.",
    "invoice_uncollectible": (
        "Cette facture a été passée en perte à la résiliation de l'abonnement ; "
        "elle ne peut pas être payée."
    ),
    "invoice_void": "Cette facture est annulée : son achat n'a pas été payé, rien n'est dû.",
    "content_title": "Ce qui arrivera à vos contenus",
    "content_intro": "Quand le changement prendra effet :",
    "content_remove": "{type} {id} sera supprimé.",
    "content_remove_for_good": (
        "{type} {id} sera supprimé ; une montée en gamme ultérieure ne le rétablira pas."
    ),
    "content_detach": "{type} {id} sera détaché ; une montée en gamme ultérieure le rattachera.",
    "content_reattach": "{type} {id} sera rattaché.",
    "content_scale": "{attribute} de {type} {id} : ramené de {before} à {after}.",
    "content_cap": "{attribute} de {type} {id} : plafonné de {before} à {after}.",
    "pm_title": "Moyens de paiement",
    "pm_intro": (
        "Le moyen principal est débité en premier ; le moyen de secours l'est en cas d'échec."
    ),
    "card_number": "Numéro de carte",
    "sandbox_cards": (
        "Cartes de test : 4242 4242 4242 4242 est acceptée, 4000 0000 0000 0002 est refusée."
    ),
    "use_as": "Utiliser comme",
    "primary": "Principal",
    "backup": "Secours",
    "other": "Autre",
    "add_card": "Ajouter la carte",
    "make_primary": "Définir comme principal",
    "make_backup": "Définir comme secours",
    "remove": "Supprimer",
    "card_label": "{brand} se terminant par {last4}",
    "no_methods": "Aucun moyen de paiement pour l'instant.",
    "balance_title": "Solde",
    "balance_intro": (
        "Le solde règle d'abord les packs et les factures, ainsi que les frais de SMS et d'e-mail."
    ),
    "current_balance": "Solde actuel",
    "recharge_amount": "Montant ({currency})",
    "recharge_min": "Au moins {amount}",
    "pay_with": "Payer avec",
    "free_no_recharge": "L'offre gratuite ne permet pas de recharger le solde.",
    "recharge_range": "De {min} à {max}",
    "recharge_review_title": "Vérifiez votre recharge",
    "recharge_balance_after": "Solde après la recharge",
    "recharge_pay": "Payer {amount} et recharger",
    "transactions": "Mouvements du solde",
    "date": "Date",
    "kind": "Nature",
    "reference": "Référence",
    "tx_top_up": "Recharge",
    "tx_usage": "Frais de SMS et d'e-mail",
    "tx_balance_applied": "Règlement d'une facture",
    "tx_credit_to_balance": "Crédit",
    "messages_title": "Messages",
    "no_messages": "Aucun message pour l'instant.",
    "done_subscribed": "Votre abonnement est actif.",
    "done_trial": "Votre essai a commencé.",
    "done_changed": "Votre abonnement a été mis à jour ; le changement est effectif.",
    "done_scheduled": "Votre changement est programmé pour le {date}.",
    "done_auto_renew_off": (
        "Le renouvellement automatique est désactivé : le service prend fin le {date}."
    ),
    "done_auto_renew_on": "Le renouvellement automatique est réactivé.",
    "done_change_canceled": "Le changement programmé est annulé ; votre offre reste inchangée.",
    "done_card_added": "La carte a été ajoutée.",
    "add_card_provider": "Ajouter une carte",
    "add_sepa": "Ajouter un compte bancaire (prélèvement SEPA)",
    "provider_note": (
        "Les coordonnées de carte et de compte sont saisies dans les champs sécurisés de "
        "notre prestataire de paiement ; elles ne nous parviennent jamais."
    ),
    "setup_title_card": "Ajouter une carte",
    "setup_title_sepa": "Ajouter un compte bancaire",
    "account_holder": "Titulaire du compte",
    "holder_email": "E-mail",
    "sepa_mandate": (
        "En fournissant votre IBAN et en confirmant ce moyen de paiement, vous autorisez "
        "{seller} et Stripe, notre prestataire de services de paiement, à envoyer des "
        "instructions à votre banque pour débiter votre compte, et votre banque à débiter "
        "votre compte conformément à ces instructions. Vous avez droit à un remboursement "
        "par votre banque selon les conditions de votre convention avec elle ; la demande "
        "doit être présentée dans les 8 semaines suivant la date du débit."
    ),
    "save_method": "Enregistrer le moyen de paiement",
    "done_method_added": "Le moyen de paiement a été ajouté.",
    "setup_waiting": (
        "Le prestataire de paiement n'a pas encore confirmé ce moyen ; il apparaîtra ici "
        "dès qu'il l'aura fait."
    ),
    "setup_failed": "Le moyen de paiement n'a pas pu être ajouté : {reason}",
    "sepa_label": "Prélèvement SEPA, banque {bank}, compte se terminant par {last4}",
    "mandate_label": "mandat {reference}",
    "expires": "expire en {expiry}",
    "complete_payment": "Finaliser votre paiement",
    "complete_payment_banner": "Votre banque vous demande de confirmer un paiement de {amount}.",
    "complete_payment_intro": (
        "Votre banque vous demande de confirmer ce paiement de {amount} avant qu'il soit effectué."
    ),
    "confirm_payment": "Confirmer le paiement",
    "payment_completed": "Le paiement a été effectué. Merci.",
    "payment_still_pending": (
        "Le paiement n'est pas encore confirmé ; son résultat sera enregistré dès la "
        "réponse de la banque."
    ),
    "done_card_removed": "La carte a été supprimée.",
    "done_roles": "Les moyens de paiement ont été mis à jour.",
    "done_recharged": "Votre solde a été rechargé ; il est maintenant de {amount}.",
    "see_invoice": "Facture {number}",
    "error_title": "Une erreur s'est produite",
    "not_found": "Cette page n'existe pas, ou elle appartient à un autre compte.",
    "signed_out": ("Votre session a pris fin. Demandez un nouveau lien à votre administrateur."),
    "link_expired": "Ce lien a expiré. Demandez-en un nouveau.",
    "link_used": "Ce lien a déjà été utilisé. Demandez-en un nouveau.",
    "admins_only": "Seuls les administrateurs peuvent acheter, modifier, résilier ou payer.",
    "csrf_failed": "Ce formulaire a expiré. Rechargez la page et réessayez.",
    "bad_request": "Certaines valeurs envoyées ne sont pas valides.",
    "payment_failed": "Le paiement a échoué.",
    "no_payment_method": "Ajoutez d'abord un moyen de paiement.",
    "insufficient_balance": "Le solde est insuffisant.",
    "sales_managed": (
        "Les achats de cette organisation se font hors ligne : contactez votre conseiller "
        "commercial."
    ),
    "top_up_not_allowed": "L'offre gratuite ne permet pas de recharger le solde.",
    "invalid_card": "Ce numéro de carte n'est pas valide.",
}

IT: dict[str, str] = {
    "portal": "Area clienti",
    "skip": "Vai al contenuto",
    "nav": "Sezioni dell'area clienti",
    "nav_home": "Home",
    "nav_plans": "Piani",
    "nav_subscription": "Gestisci l'abbonamento",
    "nav_billing": "Storico fatturazione",
    "nav_payment_methods": "Metodi di pagamento",
    "nav_balance": "Saldo",
    "nav_messages": "Messaggi",
    "sign_out": "Esci",
    "signed_in_as": "{account} · {role}",
    "role_admin": "amministratore",
    "role_member": "membro",
    "member_note": (
        "Puoi consultare; solo gli amministratori possono acquistare, modificare, disdire o pagare."
    ),
    "contact_sales": (
        "Gli acquisti di questa organizzazione avvengono offline: contatta il tuo consulente "
        "commerciale."
    ),
    "back": "Indietro",
    "next": "Avanti",
    "none": "Nessuno.",
    "unlimited": "Illimitato",
    "home_title": "Home",
    "subscription": "Abbonamento",
    "current_edition": "Piano attuale",
    "status": "Stato",
    "status_Active": "Attivo",
    "status_Try": "Prova",
    "status_Inactive": "Inattivo",
    "cycle": "Ciclo di fatturazione",
    "quantity_used_bought": "{unit}: usati / acquistati",
    "used_unknown": "non comunicato",
    "price": "Prezzo",
    "next_payment": "Prossimo pagamento",
    "registered_from": "Registrato dal",
    "balance": "Saldo",
    "no_subscription": "Non hai ancora un abbonamento.",
    "choose_plan": "Scegli un piano",
    "upgrade": "Aggiornamento",
    "manage": "Gestisci l'abbonamento",
    "recharge": "Ricarica",
    "use": "Utilizzo",
    "quota": "Quota",
    "limit": "Limite",
    "packs_held": "Pacchetti",
    "expand": "Espandi",
    "trial_ends": "La prova termina il {date}.",
    "no_expand_free_trial": (
        "I piani gratuiti e di prova non si possono espandere né ricevere pacchetti: "
        "acquista prima il piano a pagamento."
    ),
    "auto_renew_off_note": "Il rinnovo automatico è disattivato: il servizio termina il {date}.",
    "pending_note": "Il passaggio a {plan} è previsto per il {date}.",
    "plans_title": "Piani",
    "plans_intro": (
        "Scegli un piano, un ciclo di fatturazione e una quantità. "
        "Più lungo è il ciclo, maggiore è lo sconto."
    ),
    "edition": "Piano",
    "quantity": "Quantità",
    "quantity_of": "Quantità ({unit})",
    "total": "Totale",
    "total_formula": "Totale = Prezzo × Quantità",
    "per_unit": "{amount} per {unit}",
    "flat": "{amount} in tutto",
    "band_price": "per fascia di {unit}",
    "per_month": "≈ {amount} / mese",
    "save_percent": "risparmi il {percent}%",
    "free": "Gratuito",
    "show_prices": "Mostra i prezzi",
    "choose": "Scegli",
    "current_plan": "Piano attuale",
    "downgrade": "Declassamento",
    "no_price": "Non disponibile per questo ciclo",
    "includes": "Comprende",
    "features": "Funzionalità",
    "trial_days": "Prova di {days} giorni",
    "preview_title": "Verifica prima di pagare",
    "change_upgrade": "Aggiornamento",
    "change_downgrade": "Declassamento",
    "change_cycle_change": "Cambio del ciclo di fatturazione",
    "change_quantity_increase": "Espansione",
    "change_quantity_decrease": "Riduzione della quantità",
    "change_addon_add": "Acquisto di pacchetti",
    "change_addon_remove": "Rimozione di pacchetti",
    "from_to": "Da {before} a {after}",
    "lines_now": "Addebitato e accreditato ora",
    "no_lines": "Nulla viene addebitato o accreditato ora.",
    "description": "Descrizione",
    "period": "Periodo",
    "amount": "Importo",
    "amount_due_now": "Da pagare ora",
    "credit_now": "Credito per il tempo non usato",
    "credit_to_invoice": "detratto da questa fattura",
    "credit_to_credit_note": "emesso come nota di credito e applicato alla nuova fattura",
    "credit_to_refund": "rimborsato sul metodo di pagamento",
    "credit_to_balance": "aggiunto al saldo del conto",
    "takes_effect": "Decorrenza",
    "effective_now": "Subito",
    "effective_on": "Il {date}",
    "scheduled_note": (
        "Fino ad allora il piano resta invariato. Puoi annullare questa modifica in "
        "Gestisci l'abbonamento."
    ),
    "next_renewal": "Importo del prossimo rinnovo",
    "effects": "Cosa perderai",
    "effects_gain": "Cosa ottieni",
    "limit_reduced": "{name}: da {before} a {after}",
    "limit_raised": "{name}: da {before} a {after}",
    "feature_removed": "{name}: non più incluso",
    "feature_added": "{name}: incluso",
    "export_warning": ("Ricorda di esportare e scaricare i dati a cui non potrai più accedere."),
    "charged_to": "Pagato con",
    "no_card": "Nessun metodo di pagamento: aggiungine prima uno.",
    "add_card_first": "Aggiungi un metodo di pagamento",
    "confirm_pay": "Paga e aggiorna l'abbonamento",
    "confirm_change": "Aggiorna l'abbonamento",
    "confirm_schedule": "Programma la modifica",
    "refused_title": "Questa modifica non è possibile",
    "back_to_plans": "Torna ai piani",
    "subscribe_title": "Abbonati",
    "subscribe_pay": "Paga e abbonati",
    "start_trial": "Inizia la prova gratuita",
    "trial_note": "Inizia con una prova gratuita di {days} giorni: oggi non paghi nulla.",
    "due_today": "Da pagare oggi",
    "expand_title": "Espandi",
    "expand_intro": "Indica il numero che ti serve, poi verifica l'aggiornamento prima di pagare.",
    "quantity_range": "Da {min} a {max}",
    "quantity_min": "Almeno {min}",
    "update_subscription": "Aggiorna l'abbonamento",
    "packs_title": "Pacchetti",
    "packs_intro": "Indica quanti pacchetti vuoi; la differenza di prezzo è calcolata per te.",
    "pack_grants": "Ogni pacchetto aggiunge {amount} {name}",
    "per_pack": "{amount} per pacchetto",
    "packs_owned": "Ne hai {count}",
    "change_cycle": "Cambia ciclo di fatturazione",
    "manage_title": "Gestisci l'abbonamento",
    "auto_renew": "Rinnovo automatico",
    "auto_renew_on": (
        "Attivo: l'abbonamento si rinnova automaticamente; prossimo pagamento il {date}."
    ),
    "auto_renew_on_free": "Attivo: l'abbonamento si rinnova automaticamente.",
    "auto_renew_off": "Disattivato: puoi usare il servizio fino al {date}, poi termina.",
    "unsubscribe": "Annulla l'iscrizione",
    "resubscribe": "Riattiva il rinnovo automatico",
    "unsubscribe_title": "Disattiva il rinnovo automatico",
    "unsubscribe_question": (
        "L'abbonamento non verrà rinnovato: puoi usare il servizio fino al {date}, poi termina. "
        "Fino ad allora puoi riattivare il rinnovo automatico."
    ),
    "unsubscribe_confirm": "Disattiva il rinnovo automatico",
    "keep_auto_renew": "Mantieni il rinnovo automatico",
    "scheduled_change": "Modifica programmata",
    "scheduled_desc": "Passaggio a {plan} il {date}.",
    "cancel_change": "Annulla questa modifica",
    "no_scheduled": "Nessuna modifica programmata.",
    "ended_note": "L'abbonamento è terminato. Scegli un piano per abbonarti di nuovo.",
    "change_plan": "Cambia piano",
    "billing_title": "Storico fatturazione",
    "active_bills": "Fatture da pagare",
    "paid_bills": "Fatture pagate e annullate",
    "download_pdf": "Scarica il PDF",
    "download_named": "Scarica {name} (PDF)",
    "issued": "Emessa il",
    # limits reached, paying a bill now, content a change adapts
    "used_limit": "Usato / limite",
    "limits_reached": "Limiti raggiunti",
    "seats_all_in_use": "Tutti i {limit} {unit} sono in uso ({used} membri conteggiati).",
    "limit_all_used": "{name}: il limite di {limit} è raggiunto ({used} usati).",
    "expand_to": "Espandi a {quantity} {unit}",
    "buy_pack": "Acquista {name}",
    "upgrade_to": "Passa a {name}",
    "nothing_allows_more": "Nessuna edizione o pacchetto del catalogo consente di più.",
    "pay_now": "Paga ora",
    "pay_named": "Paga ora la fattura {number}",
    "primary_then_backup": "Carta principale, poi di riserva",
    "done_invoice_paid": (
        "La fattura {number} è pagata. La ricevuta {receipt} è nello storico fatturazione."
    ),
    "invoice_already_paid": "Questa fattura è già pagata.",
    "invoice_uncollectible": (
        "Questa fattura è stata stralciata alla cancellazione dell'abbonamento; "
        "non può essere pagata."
    ),
    "invoice_void": (
        "Questa fattura è annullata: il suo acquisto non è stato pagato, nulla è dovuto."
    ),
    "content_title": "Cosa succederà ai tuoi contenuti",
    "content_intro": "Quando la modifica avrà effetto:",
    "content_remove": "{type} {id} sarà rimosso.",
    "content_remove_for_good": (
        "{type} {id} sarà rimosso; un successivo aggiornamento non lo ripristinerà."
    ),
    "content_detach": "{type} {id} sarà staccato; un successivo aggiornamento lo riattaccherà.",
    "content_reattach": "{type} {id} sarà riattaccato.",
    "content_scale": "{attribute} di {type} {id}: ridotto proporzionalmente da {before} a {after}.",
    "content_cap": "{attribute} di {type} {id}: limitato da {before} a {after}.",
    "pm_title": "Metodi di pagamento",
    "pm_intro": (
        "Il metodo principale viene addebitato per primo; quello di riserva se il primo fallisce."
    ),
    "card_number": "Numero della carta",
    "sandbox_cards": (
        "Carte di prova: 4242 4242 4242 4242 va a buon fine, 4000 0000 0000 0002 viene rifiutata."
    ),
    "use_as": "Usa come",
    "primary": "Principale",
    "backup": "Riserva",
    "other": "Altro",
    "add_card": "Aggiungi carta",
    "make_primary": "Rendi principale",
    "make_backup": "Rendi di riserva",
    "remove": "Rimuovi",
    "card_label": "{brand} che termina con {last4}",
    "no_methods": "Ancora nessun metodo di pagamento.",
    "balance_title": "Saldo",
    "balance_intro": ("Il saldo paga prima pacchetti e fatture, e le spese per SMS ed e-mail."),
    "current_balance": "Saldo attuale",
    "recharge_amount": "Importo ({currency})",
    "recharge_min": "Almeno {amount}",
    "pay_with": "Paga con",
    "free_no_recharge": "Il piano gratuito non consente di ricaricare il saldo.",
    "recharge_range": "Da {min} a {max}",
    "recharge_review_title": "Controlla la ricarica",
    "recharge_balance_after": "Saldo dopo la ricarica",
    "recharge_pay": "Paga {amount} e ricarica",
    "transactions": "Movimenti del saldo",
    "date": "Data",
    "kind": "Tipo",
    "reference": "Riferimento",
    "tx_top_up": "Ricarica",
    "tx_usage": "Spese per SMS ed e-mail",
    "tx_balance_applied": "Pagamento di una fattura",
    "tx_credit_to_balance": "Credito",
    "messages_title": "Messaggi",
    "no_messages": "Ancora nessun messaggio.",
    "done_subscribed": "L'abbonamento è attivo.",
    "done_trial": "La prova è iniziata.",
    "done_changed": "L'abbonamento è stato aggiornato; la modifica è già effettiva.",
    "done_scheduled": "La modifica è programmata per il {date}.",
    "done_auto_renew_off": "Il rinnovo automatico è disattivato: il servizio termina il {date}.",
    "done_auto_renew_on": "Il rinnovo automatico è di nuovo attivo.",
    "done_change_canceled": "La modifica programmata è stata annullata; il piano resta invariato.",
    "done_card_added": "La carta è stata aggiunta.",
    "add_card_provider": "Aggiungi una carta",
    "add_sepa": "Aggiungi un conto bancario (addebito diretto SEPA)",
    "provider_note": (
        "I dati della carta e del conto si inseriscono nei campi sicuri del nostro "
        "fornitore di pagamenti; non ci arrivano mai."
    ),
    "setup_title_card": "Aggiungi una carta",
    "setup_title_sepa": "Aggiungi un conto bancario",
    "account_holder": "Intestatario del conto",
    "holder_email": "E-mail",
    "sepa_mandate": (
        "Fornendo il tuo IBAN e confermando questo metodo di pagamento, autorizzi "
        "{seller} e Stripe, il nostro fornitore di servizi di pagamento, a inviare "
        "istruzioni alla tua banca per addebitare il tuo conto, e la tua banca ad "
        "addebitarlo secondo tali istruzioni. Hai diritto a un rimborso dalla tua banca "
        "secondo i termini del tuo contratto con essa; il rimborso va richiesto entro 8 "
        "settimane dalla data dell'addebito."
    ),
    "save_method": "Salva il metodo di pagamento",
    "done_method_added": "Il metodo di pagamento è stato aggiunto.",
    "setup_waiting": (
        "Il fornitore di pagamenti non ha ancora confermato il metodo; comparirà qui "
        "appena lo farà."
    ),
    "setup_failed": "Non è stato possibile aggiungere il metodo di pagamento: {reason}",
    "sepa_label": "Addebito diretto SEPA, banca {bank}, conto che termina con {last4}",
    "mandate_label": "mandato {reference}",
    "expires": "scade {expiry}",
    "complete_payment": "Completa il pagamento",
    "complete_payment_banner": "La tua banca ti chiede di confermare un pagamento di {amount}.",
    "complete_payment_intro": (
        "La tua banca ti chiede di confermare questo pagamento di {amount} prima che "
        "venga eseguito."
    ),
    "confirm_payment": "Conferma il pagamento",
    "payment_completed": "Il pagamento è andato a buon fine. Grazie.",
    "payment_still_pending": (
        "Il pagamento non è ancora confermato; l'esito sarà registrato appena la banca risponde."
    ),
    "done_card_removed": "La carta è stata rimossa.",
    "done_roles": "I metodi di pagamento sono stati aggiornati.",
    "done_recharged": "Il saldo è stato ricaricato; ora è di {amount}.",
    "see_invoice": "Fattura {number}",
    "error_title": "Si è verificato un problema",
    "not_found": "Questa pagina non esiste, oppure appartiene a un altro conto.",
    "signed_out": "La sessione è terminata. Chiedi un nuovo link al tuo amministratore.",
    "link_expired": "Questo link è scaduto. Chiedine uno nuovo.",
    "link_used": "Questo link è già stato usato. Chiedine uno nuovo.",
    "admins_only": "Solo gli amministratori possono acquistare, modificare, disdire o pagare.",
    "csrf_failed": "Questo modulo è scaduto. Ricarica la pagina e riprova.",
    "bad_request": "Alcuni valori inviati non sono validi.",
    "payment_failed": "Il pagamento non è andato a buon fine.",
    "no_payment_method": "Aggiungi prima un metodo di pagamento.",
    "insufficient_balance": "Il saldo è insufficiente.",
    "sales_managed": (
        "Gli acquisti di questa organizzazione avvengono offline: contatta il tuo consulente "
        "commerciale."
    ),
    "top_up_not_allowed": "Il piano gratuito non consente di ricaricare il saldo.",
    "invalid_card": "Il numero della carta non è valido.",
}

VI: dict[str, str] = {
    "portal": "Cổng khách hàng",
    "skip": "Chuyển đến nội dung",
    "nav": "Các mục của cổng khách hàng",
    "nav_home": "Trang chủ",
    "nav_plans": "Gói dịch vụ",
    "nav_subscription": "Quản lý thuê bao",
    "nav_billing": "Lịch sử thanh toán",
    "nav_payment_methods": "Phương thức thanh toán",
    "nav_balance": "Số dư",
    "nav_messages": "Tin nhắn",
    "sign_out": "Đăng xuất",
    "signed_in_as": "{account} · {role}",
    "role_admin": "quản trị viên",
    "role_member": "thành viên",
    "member_note": (
        "Bạn có thể xem; chỉ quản trị viên mới được mua, thay đổi, hủy hoặc thanh toán."
    ),
    "contact_sales": (
        "Tổ chức này mua dịch vụ ngoại tuyến: vui lòng liên hệ chuyên viên tư vấn bán hàng."
    ),
    "back": "Quay lại",
    "next": "Tiếp theo",
    "none": "Không có.",
    "unlimited": "Không giới hạn",
    "home_title": "Trang chủ",
    "subscription": "Thuê bao",
    "current_edition": "Gói hiện tại",
    "status": "Trạng thái",
    "status_Active": "Đang hoạt động",
    "status_Try": "Dùng thử",
    "status_Inactive": "Không hoạt động",
    "cycle": "Chu kỳ thanh toán",
    "quantity_used_bought": "{unit}: đã dùng / đã mua",
    "used_unknown": "chưa có số liệu",
    "price": "Giá",
    "next_payment": "Thời điểm thanh toán tiếp theo",
    "registered_from": "Đăng ký từ",
    "balance": "Số dư",
    "no_subscription": "Bạn chưa có thuê bao nào.",
    "choose_plan": "Chọn gói",
    "upgrade": "Nâng cấp",
    "manage": "Quản lý thuê bao",
    "recharge": "Nạp tiền",
    "use": "Sử dụng",
    "quota": "Hạn mức",
    "limit": "Giới hạn",
    "packs_held": "Gói bổ sung",
    "expand": "Mở rộng",
    "trial_ends": "Thời gian dùng thử kết thúc ngày {date}.",
    "no_expand_free_trial": (
        "Gói miễn phí và gói dùng thử không thể mở rộng và không mua được gói bổ sung: "
        "hãy mua gói trả phí trước."
    ),
    "auto_renew_off_note": "Tự động gia hạn đã tắt: dịch vụ kết thúc ngày {date}.",
    "pending_note": "Đã lên lịch chuyển sang {plan} vào ngày {date}.",
    "plans_title": "Gói dịch vụ",
    "plans_intro": (
        "Chọn gói, chu kỳ thanh toán và số lượng. Chu kỳ càng dài, chiết khấu càng cao."
    ),
    "edition": "Gói",
    "quantity": "Số lượng",
    "quantity_of": "Số lượng ({unit})",
    "total": "Tổng",
    "total_formula": "Tổng = Giá × Số lượng",
    "per_unit": "{amount} mỗi {unit}",
    "flat": "{amount} trọn gói",
    "band_price": "theo bậc {unit}",
    "per_month": "≈ {amount} / tháng",
    "save_percent": "tiết kiệm {percent}%",
    "free": "Miễn phí",
    "show_prices": "Xem giá",
    "choose": "Chọn",
    "current_plan": "Gói hiện tại",
    "downgrade": "Hạ cấp",
    "no_price": "Không có cho chu kỳ này",
    "includes": "Bao gồm",
    "features": "Tính năng",
    "trial_days": "Dùng thử {days} ngày",
    "preview_title": "Xem lại trước khi thanh toán",
    "change_upgrade": "Nâng cấp",
    "change_downgrade": "Hạ cấp",
    "change_cycle_change": "Đổi chu kỳ thanh toán",
    "change_quantity_increase": "Mở rộng",
    "change_quantity_decrease": "Giảm số lượng",
    "change_addon_add": "Mua gói bổ sung",
    "change_addon_remove": "Bỏ gói bổ sung",
    "from_to": "Từ {before} sang {after}",
    "lines_now": "Tính phí và ghi có ngay",
    "no_lines": "Không có khoản nào được tính phí hay ghi có lúc này.",
    "description": "Mô tả",
    "period": "Kỳ",
    "amount": "Số tiền",
    "amount_due_now": "Số tiền phải trả ngay",
    "credit_now": "Tín dụng cho thời gian chưa dùng",
    "credit_to_invoice": "trừ vào hóa đơn này",
    "credit_to_credit_note": "lập phiếu ghi có và trừ vào hóa đơn mới",
    "credit_to_refund": "hoàn lại vào phương thức thanh toán",
    "credit_to_balance": "cộng vào số dư tài khoản",
    "takes_effect": "Có hiệu lực",
    "effective_now": "Ngay lập tức",
    "effective_on": "Ngày {date}",
    "scheduled_note": (
        "Gói của bạn giữ nguyên đến lúc đó. Bạn có thể hủy thay đổi này trong Quản lý thuê bao."
    ),
    "next_renewal": "Số tiền gia hạn kỳ tới",
    "effects": "Những gì bạn sẽ mất",
    "effects_gain": "Những gì bạn có thêm",
    "limit_reduced": "{name}: từ {before} xuống {after}",
    "limit_raised": "{name}: từ {before} lên {after}",
    "feature_removed": "{name}: không còn bao gồm",
    "feature_added": "{name}: được bao gồm",
    "export_warning": ("Hãy xuất và tải về những dữ liệu mà sau đó bạn sẽ không thể truy cập."),
    "charged_to": "Thanh toán bằng",
    "no_card": "Chưa có phương thức thanh toán: hãy thêm một phương thức trước.",
    "add_card_first": "Thêm phương thức thanh toán",
    "confirm_pay": "Thanh toán và cập nhật thuê bao",
    "confirm_change": "Cập nhật thuê bao",
    "confirm_schedule": "Lên lịch thay đổi",
    "refused_title": "Không thể thực hiện thay đổi này",
    "back_to_plans": "Quay lại danh sách gói",
    "subscribe_title": "Đăng ký",
    "subscribe_pay": "Thanh toán và đăng ký",
    "start_trial": "Bắt đầu dùng thử miễn phí",
    "trial_note": "Bắt đầu bằng {days} ngày dùng thử miễn phí: hôm nay không bị tính phí.",
    "due_today": "Phải trả hôm nay",
    "expand_title": "Mở rộng",
    "expand_intro": "Nhập số lượng bạn cần, rồi xem lại thay đổi trước khi thanh toán.",
    "quantity_range": "Từ {min} đến {max}",
    "quantity_min": "Ít nhất {min}",
    "update_subscription": "Cập nhật thuê bao",
    "packs_title": "Gói bổ sung",
    "packs_intro": "Nhập số gói bạn muốn; phần chênh lệch giá được tính sẵn cho bạn.",
    "pack_grants": "Mỗi gói thêm {amount} {name}",
    "per_pack": "{amount} mỗi gói",
    "packs_owned": "Bạn đang có {count}",
    "change_cycle": "Đổi chu kỳ thanh toán",
    "manage_title": "Quản lý thuê bao",
    "auto_renew": "Tự động gia hạn",
    "auto_renew_on": "Bật: thuê bao tự động gia hạn; lần thanh toán tới vào ngày {date}.",
    "auto_renew_on_free": "Bật: thuê bao tự động gia hạn.",
    "auto_renew_off": "Tắt: bạn dùng dịch vụ đến ngày {date}, sau đó dịch vụ kết thúc.",
    "unsubscribe": "Hủy đăng ký",
    "resubscribe": "Bật lại tự động gia hạn",
    "unsubscribe_title": "Tắt tự động gia hạn",
    "unsubscribe_question": (
        "Gói đăng ký sẽ không được gia hạn: bạn có thể dùng dịch vụ đến ngày {date}, sau đó dịch "
        "vụ kết thúc. Trước thời điểm đó, bạn có thể bật lại tự động gia hạn."
    ),
    "unsubscribe_confirm": "Tắt tự động gia hạn",
    "keep_auto_renew": "Giữ tự động gia hạn",
    "scheduled_change": "Thay đổi đã lên lịch",
    "scheduled_desc": "Chuyển sang {plan} vào ngày {date}.",
    "cancel_change": "Hủy thay đổi này",
    "no_scheduled": "Không có thay đổi nào được lên lịch.",
    "ended_note": "Thuê bao của bạn đã kết thúc. Hãy chọn một gói để đăng ký lại.",
    "change_plan": "Đổi gói",
    "billing_title": "Lịch sử thanh toán",
    "active_bills": "Hóa đơn chưa thanh toán",
    "paid_bills": "Hóa đơn đã thanh toán và đã hủy",
    "download_pdf": "Tải PDF",
    "download_named": "Tải {name} (PDF)",
    "issued": "Ngày phát hành",
    # limits reached, paying a bill now, content a change adapts
    "used_limit": "Đã dùng / giới hạn",
    "limits_reached": "Đã đạt giới hạn",
    "seats_all_in_use": "Tất cả {limit} {unit} đều đang được dùng ({used} thành viên được tính).",
    "limit_all_used": "{name}: đã đạt giới hạn {limit} ({used} đã dùng).",
    "expand_to": "Mở rộng lên {quantity} {unit}",
    "buy_pack": "Mua {name}",
    "upgrade_to": "Nâng cấp lên {name}",
    "nothing_allows_more": "Không có phiên bản hay gói nào trong danh mục cho phép nhiều hơn.",
    "pay_now": "Thanh toán ngay",
    "pay_named": "Thanh toán ngay hóa đơn {number}",
    "primary_then_backup": "Thẻ chính, sau đó thẻ dự phòng",
    "done_invoice_paid": (
        "Hóa đơn {number} đã được thanh toán. Biên lai {receipt} có trong lịch sử thanh toán."
    ),
    "invoice_already_paid": "Hóa đơn này đã được thanh toán.",
    "invoice_uncollectible": (
        "Hóa đơn này đã bị xóa nợ khi gói đăng ký bị hủy; không thể thanh toán."
    ),
    "invoice_void": (
        "Hóa đơn này đã bị hủy: giao dịch mua chưa được thanh toán nên không có khoản nợ nào."
    ),
    "content_title": "Điều gì sẽ xảy ra với nội dung của bạn",
    "content_intro": "Khi thay đổi có hiệu lực:",
    "content_remove": "{type} {id} sẽ bị xóa.",
    "content_remove_for_good": "{type} {id} sẽ bị xóa; nâng cấp sau này không khôi phục lại.",
    "content_detach": "{type} {id} sẽ bị tách ra; nâng cấp sau này sẽ gắn lại.",
    "content_reattach": "{type} {id} sẽ được gắn lại.",
    "content_scale": "{attribute} của {type} {id} được giảm theo tỷ lệ từ {before} xuống {after}.",
    "content_cap": "{attribute} của {type} {id} được giới hạn từ {before} xuống {after}.",
    "pm_title": "Phương thức thanh toán",
    "pm_intro": (
        "Phương thức chính được trừ tiền trước; phương thức dự phòng được dùng khi phương "
        "thức chính thất bại."
    ),
    "card_number": "Số thẻ",
    "sandbox_cards": (
        "Thẻ thử nghiệm: 4242 4242 4242 4242 thành công, 4000 0000 0000 0002 bị từ chối."
    ),
    "use_as": "Dùng làm",
    "primary": "Chính",
    "backup": "Dự phòng",
    "other": "Khác",
    "add_card": "Thêm thẻ",
    "make_primary": "Đặt làm chính",
    "make_backup": "Đặt làm dự phòng",
    "remove": "Xóa",
    "card_label": "{brand} kết thúc bằng {last4}",
    "no_methods": "Chưa có phương thức thanh toán nào.",
    "balance_title": "Số dư",
    "balance_intro": (
        "Số dư được dùng trước để trả gói bổ sung và hóa đơn, và để trả phí SMS và e-mail."
    ),
    "current_balance": "Số dư hiện tại",
    "recharge_amount": "Số tiền ({currency})",
    "recharge_min": "Ít nhất {amount}",
    "pay_with": "Thanh toán bằng",
    "free_no_recharge": "Gói miễn phí không hỗ trợ nạp tiền vào số dư.",
    "recharge_range": "Từ {min} đến {max}",
    "recharge_review_title": "Xem lại khoản nạp tiền",
    "recharge_balance_after": "Số dư sau khi nạp",
    "recharge_pay": "Thanh toán {amount} và nạp tiền",
    "transactions": "Giao dịch số dư",
    "date": "Ngày",
    "kind": "Loại",
    "reference": "Tham chiếu",
    "tx_top_up": "Nạp tiền",
    "tx_usage": "Phí SMS và e-mail",
    "tx_balance_applied": "Thanh toán hóa đơn",
    "tx_credit_to_balance": "Tín dụng",
    "messages_title": "Tin nhắn",
    "no_messages": "Chưa có tin nhắn nào.",
    "done_subscribed": "Thuê bao của bạn đã được kích hoạt.",
    "done_trial": "Thời gian dùng thử đã bắt đầu.",
    "done_changed": "Thuê bao của bạn đã được cập nhật; thay đổi có hiệu lực ngay.",
    "done_scheduled": "Thay đổi của bạn được lên lịch vào ngày {date}.",
    "done_auto_renew_off": "Tự động gia hạn đã tắt: dịch vụ kết thúc ngày {date}.",
    "done_auto_renew_on": "Tự động gia hạn đã được bật lại.",
    "done_change_canceled": "Thay đổi đã lên lịch đã bị hủy; gói của bạn giữ nguyên.",
    "done_card_added": "Đã thêm thẻ.",
    "add_card_provider": "Thêm thẻ",
    "add_sepa": "Thêm tài khoản ngân hàng (ghi nợ trực tiếp SEPA)",
    "provider_note": (
        "Thông tin thẻ và tài khoản được nhập vào các ô bảo mật của nhà cung cấp thanh "
        "toán; chúng tôi không bao giờ nhận được."
    ),
    "setup_title_card": "Thêm thẻ",
    "setup_title_sepa": "Thêm tài khoản ngân hàng",
    "account_holder": "Chủ tài khoản",
    "holder_email": "E-mail",
    "sepa_mandate": (
        "Khi cung cấp IBAN và xác nhận phương thức thanh toán này, bạn cho phép {seller} "
        "và Stripe, nhà cung cấp dịch vụ thanh toán của chúng tôi, gửi chỉ thị đến ngân "
        "hàng của bạn để ghi nợ tài khoản, và cho phép ngân hàng ghi nợ tài khoản theo "
        "các chỉ thị đó. Bạn có quyền được ngân hàng hoàn tiền theo các điều khoản trong "
        "thỏa thuận với ngân hàng; yêu cầu hoàn tiền phải được gửi trong vòng 8 tuần kể "
        "từ ngày tài khoản bị ghi nợ."
    ),
    "save_method": "Lưu phương thức thanh toán",
    "done_method_added": "Đã thêm phương thức thanh toán.",
    "setup_waiting": (
        "Nhà cung cấp thanh toán chưa xác nhận phương thức này; nó sẽ hiện ở đây khi được xác nhận."
    ),
    "setup_failed": "Không thể thêm phương thức thanh toán: {reason}",
    "sepa_label": "Ghi nợ trực tiếp SEPA, ngân hàng {bank}, tài khoản kết thúc bằng {last4}",
    "mandate_label": "ủy quyền {reference}",
    "expires": "hết hạn {expiry}",
    "complete_payment": "Hoàn tất thanh toán",
    "complete_payment_banner": "Ngân hàng yêu cầu bạn xác nhận khoản thanh toán {amount}.",
    "complete_payment_intro": (
        "Ngân hàng yêu cầu bạn xác nhận khoản thanh toán {amount} này trước khi thực hiện."
    ),
    "confirm_payment": "Xác nhận thanh toán",
    "payment_completed": "Thanh toán đã thành công. Cảm ơn bạn.",
    "payment_still_pending": (
        "Khoản thanh toán chưa được xác nhận; kết quả sẽ được ghi nhận ngay khi ngân hàng trả lời."
    ),
    "done_card_removed": "Đã xóa thẻ.",
    "done_roles": "Đã cập nhật phương thức thanh toán.",
    "done_recharged": "Đã nạp tiền; số dư hiện là {amount}.",
    "see_invoice": "Hóa đơn {number}",
    "error_title": "Đã xảy ra sự cố",
    "not_found": "Trang này không tồn tại hoặc thuộc về tài khoản khác.",
    "signed_out": "Phiên làm việc đã kết thúc. Hãy xin quản trị viên một liên kết mới.",
    "link_expired": "Liên kết này đã hết hạn. Hãy xin một liên kết mới.",
    "link_used": "Liên kết này đã được sử dụng. Hãy xin một liên kết mới.",
    "admins_only": "Chỉ quản trị viên mới được mua, thay đổi, hủy hoặc thanh toán.",
    "csrf_failed": "Biểu mẫu này đã hết hạn. Hãy tải lại trang và thử lại.",
    "bad_request": "Một số giá trị gửi lên không hợp lệ.",
    "payment_failed": "Thanh toán không thành công.",
    "no_payment_method": "Hãy thêm phương thức thanh toán trước.",
    "insufficient_balance": "Số dư không đủ.",
    "sales_managed": (
        "Tổ chức này mua dịch vụ ngoại tuyến: vui lòng liên hệ chuyên viên tư vấn bán hàng."
    ),
    "top_up_not_allowed": "Gói miễn phí không hỗ trợ nạp tiền vào số dư.",
    "invalid_card": "Số thẻ không hợp lệ.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "fr": FR, "it": IT, "vi": VI}


@dataclass(frozen=True)
class Translator:
    """The portal's words (`t`) and the documents' words (`labels`) in one language."""

    language: str
    words: dict[str, str]
    labels: Labels

    def __call__(self, key: str, **values: object) -> str:
        text = self.words.get(key) or EN[key]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in EN


def translator_for(locale: str | None) -> Translator:
    language = str(resolve_locale(locale).language)
    return Translator(language, CATALOGUES.get(language, EN), labels_for(locale))

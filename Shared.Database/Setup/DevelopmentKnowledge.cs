namespace SaasAssistants.Database.Setup;

/// <summary>
/// The demo knowledge base's documents: opening hours, delivery and prices, each in Portuguese and in English, short
/// enough to read at a glance and specific enough (times, fees, prices) that a right and a wrong answer differ.
/// </summary>
internal static class DevelopmentKnowledge
{
    public const string KnowledgeBaseName = "Demo Company help center";

    public static readonly IReadOnlyList<(string Name, string Language, string Markdown)> Documents =
    [
        ("horario-de-funcionamento.md", "pt", """
            # Horário de funcionamento

            A loja da Demo Company abre de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h.
            Não abrimos aos domingos nem em feriados nacionais.

            ## Atendimento online

            O chat do site e o WhatsApp respondem todos os dias, das 8h às 22h. Fora desse horário, deixe sua mensagem
            e respondemos no próximo período de atendimento.
            """),
        ("opening-hours.md", "en", """
            # Opening hours

            The Demo Company store is open Monday to Friday from 9 am to 6 pm, and on Saturdays from 9 am to 1 pm.
            We are closed on Sundays and national holidays.

            ## Online support

            The website chat and WhatsApp answer every day from 8 am to 10 pm. Outside those hours, leave a message and
            we reply in the next support period.
            """),
        ("entrega.md", "pt", """
            # Entrega

            Entregamos em toda a cidade de São Paulo em até 2 dias úteis. Pedidos feitos até as 12h na capital chegam no
            mesmo dia.

            ## Frete

            O frete custa R$ 12,90 e é grátis para compras acima de R$ 150. Para outras cidades o prazo é de 3 a 7 dias
            úteis e o frete é calculado no carrinho.

            ## Rastreamento

            O código de rastreamento chega por e-mail e pelo WhatsApp assim que o pedido sai para entrega.
            """),
        ("delivery.md", "en", """
            # Delivery

            We deliver anywhere in the city of São Paulo within 2 business days. Orders placed before noon in the city
            arrive the same day.

            ## Shipping fee

            Shipping costs R$ 12.90 and is free for orders over R$ 150. Other cities take 3 to 7 business days, and the
            fee is calculated in the cart.

            ## Tracking

            The tracking code is sent by e-mail and WhatsApp as soon as the order leaves for delivery.
            """),
        ("precos.md", "pt", """
            # Preços e planos

            | Plano | Preço mensal | Inclui |
            |-------|--------------|--------|
            | Básico | R$ 49 | 1 usuário e 500 conversas |
            | Profissional | R$ 149 | 5 usuários e 5.000 conversas |
            | Empresa | R$ 499 | usuários ilimitados e suporte dedicado |

            ## Pagamento

            Aceitamos Pix, boleto e cartão de crédito em até 12 vezes. No plano anual há 2 meses de desconto.
            """),
        ("prices.md", "en", """
            # Prices and plans

            | Plan | Monthly price | Includes |
            |------|---------------|----------|
            | Basic | R$ 49 | 1 user and 500 conversations |
            | Professional | R$ 149 | 5 users and 5,000 conversations |
            | Enterprise | R$ 499 | unlimited users and dedicated support |

            ## Payment

            We accept Pix, boleto and credit cards in up to 12 instalments. The yearly plan gives 2 months off.
            """),
    ];
}

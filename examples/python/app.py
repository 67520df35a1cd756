#!/usr/bin/env python3
"""Example CDK app in Python using every construct of cdk-serverless-powertools."""
import aws_cdk as cdk
from aws_cdk import Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from constructs import Construct

from cdk_serverless_powertools import (
    AlarmAction,
    ApiAuthorization,
    ApiCustomDomainOptions,
    ApiKind,
    ApiMethodThrottle,
    ApiMonitoringOptions,
    ApiRoute,
    ApiUsagePlanOptions,
    HandlerCode,
    IdempotencyTable,
    IdempotentFunction,
    MonitoringOptions,
    ObservableApi,
    PowerTunedFunction,
    PowerTuner,
    TuningSampling,
    PowertoolsFunction,
    PowertoolsLayer,
    RecordIdempotencyKey,
    ReplayMarker,
    SqsBatchConsumer,
    SqsBatchIdempotencyOptions,
    SsmParameter,
    StackAlarmTopic,
    StreamBatchConsumer,
    StreamBatchIdempotencyOptions,
    StreamIdempotencyKey,
    StreamSource,
    TuningStrategy,
)


class ExampleStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # Alarms of every construct go to this stack's shared, encrypted topic.
        StackAlarmTopic.of(self)

        # Idempotency: the bundled template, and a shared sort-key table for a second function.
        # Replays are marked, the key prefix is pinned (it survives a move of the construct), and the
        # logic reads a parameter through context.parameters.get("currency").
        IdempotentFunction(
            self,
            "Orders",
            event_key_jmes_path="orderId",
            expires_after=Duration.hours(1),
            key_prefix="Example/Orders",
            replay_marker=ReplayMarker.field("replayed"),
            parameters={"currency": SsmParameter.from_name("/example/default-currency")},
        )
        shared = IdempotencyTable(self, "SharedIdempotency", sort_key_name="sk")
        IdempotentFunction(
            self,
            "Refunds",
            table=shared.table,
            static_partition_key_value="refunds",
            monitoring=MonitoringOptions(alarm_action=AlarmAction.none()),
        )

        # SQS batch consumers: defaults, and FIFO with per-record idempotency.
        SqsBatchConsumer(self, "OrderEvents")
        SqsBatchConsumer(
            self,
            "Ledger",
            fifo=True,
            max_receive_count=5,
            idempotency=SqsBatchIdempotencyOptions(key=RecordIdempotencyKey.from_body("orderId")),
        )

        # Observable APIs: REST with IAM auth (this stack manages the account logging role), and HTTP.
        # Stream consumers: a new encrypted Kinesis stream with the demo template, and a DynamoDB
        # stream with your per-record logic, idempotent on the record's event id.
        StreamBatchConsumer(self, "ClickEvents")
        orders = dynamodb.Table(
            self,
            "OrdersTable",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True),
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
        )
        StreamBatchConsumer(
            self,
            "OrderChanges",
            source=StreamSource.dynamo_db(orders),
            starting_position=lambda_.StartingPosition.TRIM_HORIZON,
            batch_size=50,
            idempotency=StreamBatchIdempotencyOptions(key=StreamIdempotencyKey.event_id()),
        )

        ObservableApi(self, "OrdersApi", manage_account_cloud_watch_role=True)
        ObservableApi(self, "StockApi", api_kind=ApiKind.http(), authorization=ApiAuthorization.iam())

        # Production APIs. JWT authorizers exist only on HTTP APIs and usage plans only on REST APIs, so there is one
        # of each: partners call a REST API with an API key (usage plan) and bodies checked by API Gateway; the shop's
        # browser app calls an HTTP API with a JWT from its identity provider. Both have a custom domain (TLS 1.2).
        certificate = acm.Certificate.from_certificate_arn(
            self, "ApiCertificate", "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
        )
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "ApiZone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
        )
        new_order = apigw.JsonSchema(
            schema=apigw.JsonSchemaVersion.DRAFT4,
            type=apigw.JsonSchemaType.OBJECT,
            required=["item", "quantity"],
            additional_properties=False,
            properties={
                "item": apigw.JsonSchema(type=apigw.JsonSchemaType.STRING, min_length=1),
                "quantity": apigw.JsonSchema(type=apigw.JsonSchemaType.INTEGER, minimum=1, maximum=1000),
            },
        )
        ObservableApi(
            self,
            "PartnerApi",
            custom_domain=ApiCustomDomainOptions(
                domain_name="partners.example.com",
                certificate=certificate,
                hosted_zone=zone,
                base_path="v1",
                disable_execute_api_endpoint=True,
            ),
            usage_plans=[
                ApiUsagePlanOptions(
                    name="standard",
                    rate_limit_per_second=50,
                    burst_limit=100,
                    quota_requests=100_000,
                    quota_period=apigw.Period.MONTH,
                    method_throttles=[
                        ApiMethodThrottle(path="/orders", method="POST", rate_limit_per_second=10, burst_limit=20)
                    ],
                    # API Gateway generates the value; no output prints it.
                    api_key_names=["acme"],
                )
            ],
            # No handler: the API's own function, behind API Gateway's model check (400 without an invocation).
            routes=[ApiRoute(path="/orders", methods=["POST"], request_body_schema=new_order)],
        )
        ObservableApi(
            self,
            "ShopApi",
            api_kind=ApiKind.http(),
            authorization=ApiAuthorization.jwt(
                "https://example.eu.auth0.com/", ["https://shop.example.com"], scopes=["orders:read"]
            ),
            # GET /health is public on purpose; without this, ApiAuthorization.none() fails synth.
            allow_unauthenticated_access=True,
            routes=[
                ApiRoute(path="/health", methods=["GET"], authorization=ApiAuthorization.none()),
                ApiRoute(path="/orders", methods=["POST"], authorization_scopes=["orders:write"]),
            ],
            custom_domain=ApiCustomDomainOptions(domain_name="shop.example.com", certificate=certificate, hosted_zone=zone),
            api_monitoring=ApiMonitoringOptions(low_traffic_requests_per_hour=10),
        )

        # Power tuning: a function with its own tuner; apply the recommendation here, in code.
        PowerTunedFunction(
            self,
            "Tuned",
            memory_size_mb=1024,
            strategy=TuningStrategy.BALANCED,
            balanced_weight=0.7,
            invocations_per_value=30,
            sampling=TuningSampling.adaptive(min_invocations=5),
            allowed_exceptions=["ValidationError"],
            results_parameter_name="/examples/power-tuning",
            handler_code=HandlerCode.template(),
        )

        # A tuner for a function another construct created; its IAM names that one function only.
        payments = IdempotentFunction(self, "TunedPayments")
        PowerTuner(self, "PaymentsTuner", function=payments.function, power_values_mb=[256, 512, 1024])

        # A Python function of your own, in a VPC, with the official Powertools for Python layer and the
        # production checklist (log-group key, one-year retention); the construct wires the rest.
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        logs_key = kms.Key(self, "LogsKey", enable_key_rotation=True)
        PowertoolsFunction(
            self,
            "Thumbnails",
            handler_code=HandlerCode.from_code(
                lambda_.Code.from_inline("def handler(event, context):\n    return {'ok': True}\n"),
                "index.handler",
                lambda_.Runtime.PYTHON_3_13,
            ),
            powertools_layer=PowertoolsLayer.python(),
            vpc=vpc,
            log_group_encryption_key=logs_key,
            log_retention=logs.RetentionDays.ONE_YEAR,
            alias="live",
            provisioned_concurrency=1,
        )


app = cdk.App()
ExampleStack(app, "ServerlessPowertoolsPythonExample")
app.synth()

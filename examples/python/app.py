#!/usr/bin/env python3
"""Example CDK app in Python using every construct of cdk-serverless-powertools."""
import aws_cdk as cdk
from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_serverless_powertools import (
    AlarmAction,
    ApiAuthorization,
    ApiKind,
    HandlerCode,
    IdempotencyTable,
    IdempotentFunction,
    MonitoringOptions,
    ObservableApi,
    PowerTunedFunction,
    PowertoolsFunction,
    PowertoolsLayer,
    RecordIdempotencyKey,
    ReplayMarker,
    SqsBatchConsumer,
    SqsBatchIdempotencyOptions,
    SsmParameter,
    StackAlarmTopic,
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
        ObservableApi(self, "OrdersApi", manage_account_cloud_watch_role=True)
        ObservableApi(self, "StockApi", api_kind=ApiKind.http(), authorization=ApiAuthorization.iam())

        # Power tuning: a function with its own tuner; apply the recommendation here, in code.
        PowerTunedFunction(
            self,
            "Tuned",
            memory_size_mb=1024,
            strategy=TuningStrategy.BALANCED,
            balanced_weight=0.7,
            invocations_per_value=20,
            results_parameter_name="/examples/power-tuning",
            handler_code=HandlerCode.template(),
        )

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
